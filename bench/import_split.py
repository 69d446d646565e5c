"""Where an import's time goes: wall clock, this process's CPU and the database backend's CPU (diagnostic).

`import_rows` gives one wall-clock figure, which a shared machine's load
inflates at will; the two CPU figures barely move with it and show which side
to work on. The backend's CPU is read from the kernel's account of the
connection's server process (`/proc/<pid>/stat`), so the database must run on
this machine (PostgreSQL only). Not a measure of the report; run it alone:

    DATABASE_URL=... .venv/bin/python manage.py shell -c \
        "from bench.import_split import run_alone; run_alone(2000, repeat=3)"
"""

from __future__ import annotations

import io
import os
import time
from types import SimpleNamespace

from django.db import connection

from interchange.reading import open_rows
from interchange.services import acled_import

from .generate import bench_author
from .imports import _story, acled_rows, as_csv


def backend_cpu_s() -> float:
    """CPU seconds (user + system) the connection's server process has used so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def split(rows: int) -> dict[str, float]:
    """One import of `rows` generated rows into a fresh story: wall, client and backend CPU, in seconds."""
    bench = SimpleNamespace(author=bench_author())
    data = as_csv(acled_rows(rows))
    story = _story(bench)
    backend, client, wall = backend_cpu_s(), time.process_time(), time.perf_counter()
    acled_import(author=bench.author, story=story, rows=open_rows(io.BytesIO(data), "split.csv"),
                 file_name="split.csv")
    return {"wall": time.perf_counter() - wall, "client_cpu": time.process_time() - client,
            "backend_cpu": backend_cpu_s() - backend}


def run_alone(rows: int = 2000, *, repeat: int = 3) -> list[dict[str, float]]:
    results = [split(rows) for _ in range(repeat)]
    for result in results:
        print(f"rows={rows} " + " ".join(f"{name}={seconds:.2f}s" for name, seconds in result.items()))
    return results

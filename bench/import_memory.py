"""7. import_memory: the peak memory of `import_acled` over a file ten times longer (100,000 rows vs 10,000).

Each import runs as `manage.py import_acled` in a process of its own, into a
fresh story, and its peak resident set is read from the kernel's account of
that child alone (`os.wait4`: ru_maxrss, the VmHWM it reached). The files are
the generated ACLED-layout rows of `bench.imports`, written a row at a time.
Memory that follows the batch and not the file gives a ratio near 1.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from interchange.acled import COLUMNS

from .imports import _story, acled_row
from .measure import Result, Side
from .setup import Bench


def write_file(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for i in range(count):
            writer.writerow(acled_row(i))
    return path


def peak_rss(path: Path, slug: str) -> tuple[int, float]:
    """Import `path` into the story `slug` in a child process: (its peak RSS in KiB, seconds taken)."""
    errors = path.with_suffix(".stderr")
    started = time.perf_counter()
    with errors.open("wb") as stderr:
        child = subprocess.Popen(  # noqa: S603 (this interpreter and manage.py, no shell)
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_acled", str(path),
             "--story", slug], stdout=subprocess.DEVNULL, stderr=stderr,
            env={**os.environ, "DATABASE_URL": _this_database()})
        _, status, usage = os.wait4(child.pid, 0)  # this child's own usage, not every child's
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        said = errors.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"import_acled of {path.name} failed ({child.returncode}): {said}")
    return usage.ru_maxrss, elapsed  # Linux: KiB


def _this_database() -> str:
    """The database this process writes to (under the tests, theirs), as a DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    login = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def import_memory(bench: Bench) -> list[Result]:
    """Peak RSS importing `import_memory_rows` rows vs a tenth of them, each in its own process."""
    many = bench.size.import_memory_rows
    few = many // 10
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        sides = {}
        for count in (few, many):
            path = write_file(Path(folder) / f"acled-{count}.csv", count)
            sides[count] = peak_rss(path, _story(bench).slug)
            path.unlink()
    (few_kib, few_s), (many_kib, many_s) = sides[few], sides[many]
    return [Result(
        name="import_memory", title=f"Peak RSS of import_acled: {many:,} rows vs {few:,}",
        target=1.5, ratio=many_kib / few_kib,
        case=Side(f"import_acled of {many:,} rows: peak RSS {many_kib / 1024:.0f} MiB (ms: wall time)",
                  round(many_s * 1000, 1)),
        floor=Side(f"import_acled of {few:,} rows: peak RSS {few_kib / 1024:.0f} MiB (ms: wall time)",
                   round(few_s * 1000, 1)),
        details={"rows": [few, many], "peak_rss_mib": [round(few_kib / 1024, 1), round(many_kib / 1024, 1)],
                 "rows_per_s": [round(few / few_s), round(many / many_s)]})]


def run_alone(rows: int = 100_000) -> list[Result]:
    """The measure alone: `manage.py shell -c "from bench.import_memory import run_alone; run_alone()"`."""
    from types import SimpleNamespace

    from .generate import bench_author
    from .run import table

    results = import_memory(SimpleNamespace(author=bench_author(),
                                            size=SimpleNamespace(import_memory_rows=rows)))
    print(table(results))
    return results

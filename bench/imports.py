"""7. Importing ACLED rows: per-row cost vs a bare executemany INSERT, and a 1 % re-import vs the first.

The rows are generated in ACLED's layout (bench only): a pool of actors and
outlets, every time precision, coordinates in the Caucasus. The floor inserts
the same rows, every column as text, into a plain table with one psycopg
executemany in one transaction. Each side runs once on a fresh story (an
import is not repeatable on the same story without becoming a re-import).
"""

from __future__ import annotations

import csv
import io
import itertools
import time

from django.db import connection

from events import services
from interchange.acled import COLUMNS
from interchange.reading import open_rows
from interchange.services import acled_import

from .measure import Result, Side
from .setup import Bench
from .store import _floor_connection

ACTORS = [f"Bench armed group {n}" for n in range(12)] + ["Military Forces of Azerbaijan (2003-)",
                                                          "Military Forces of Armenia (2018-)"]
OUTLETS = [f"Bench Outlet {n}" for n in range(8)]
_runs = itertools.count(1)


def acled_rows(count: int, *, changed_every: int = 0, round_: int = 1) -> list[dict[str, str]]:
    """`count` ACLED-layout rows; with `changed_every` N, every Nth row has a revised figure."""
    return [acled_row(i, revised=bool(changed_every) and i % changed_every == 0, round_=round_)
            for i in range(count)]


def acled_row(i: int, *, revised: bool = False, round_: int = 1) -> dict[str, str]:
    """The `i`th generated row (a revised one has a higher figure and a later timestamp)."""
    return dict.fromkeys(COLUMNS, "") | {
        "event_id_cnty": f"BNC{i:06d}", "event_date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "year": "2023", "time_precision": str(1 + i % 3), "disorder_type": "Political violence",
        "event_type": "Battles", "sub_event_type": "Armed clash",
        "actor1": ACTORS[i % len(ACTORS)], "inter1": "State forces",
        "actor2": ACTORS[(i * 7 + 3) % len(ACTORS)], "inter2": "Rebel group",
        "iso": "31" if i % 2 else "51", "country": "Azerbaijan" if i % 2 else "Armenia",
        "admin1": f"Province {i % 11}", "location": f"Village {i % 997}",
        "latitude": f"{39 + (i % 1000) / 1000:.4f}", "longitude": f"{45 + (i % 777) / 1000:.4f}",
        "geo_precision": str(1 + i % 3),
        "source": f"{OUTLETS[i % len(OUTLETS)]}; {OUTLETS[(i + 3) % len(OUTLETS)]}",
        "notes": f"Bench event {i}: clashes reported near village {i % 997}.",
        "fatalities": str(i % 9 + (5 if revised else 0)),
        "timestamp": str(1_695_168_000 + i + (86_400 * round_ if revised else 0)),
    }


def as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(bench: Bench, story, data: bytes, name: str) -> float:
    started = time.perf_counter()
    acled_import(author=bench.author, story=story, rows=open_rows(io.BytesIO(data), name), file_name=name)
    return (time.perf_counter() - started) * 1000


def _floor(rows: list[dict[str, str]]) -> float:
    # Column names come from the layout's own list, never from input.
    columns = ", ".join(f"{column} text" for column in COLUMNS)
    insert = (f"INSERT INTO bench_import_floor ({', '.join(COLUMNS)}) "  # noqa: S608
              f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
    with _floor_connection() as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS bench_import_floor (id bigserial PRIMARY KEY, {columns})")
        started = time.perf_counter()
        with db.transaction(), db.cursor() as cursor:
            cursor.executemany(insert, [[row[column] for column in COLUMNS] for row in rows])
        elapsed = (time.perf_counter() - started) * 1000
        db.execute("DROP TABLE bench_import_floor")
    return elapsed


def _table_rows() -> dict[str, int]:
    """Rows in every table of the database now (names from the database's own catalogue)."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _written(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """The rows each table gained between two counts (the tables that gained any)."""
    return {table: after[table] - before.get(table, 0) for table in sorted(after)
            if after[table] > before.get(table, 0)}


def _story(bench: Bench):
    return services.story_create(author=bench.author, message="Import benchmark",
                                 slug=f"bench-import-{time.time_ns()}-{next(_runs)}", title="ACLED import")


def import_measures(bench: Bench) -> list[Result]:
    """7. import_rows (first import vs executemany, per row) and import_resync (1 % changed vs first)."""
    count = bench.size.import_rows
    rows = acled_rows(count)
    story = _story(bench)
    floor_ms = _floor(rows)
    before = _table_rows()
    first_ms = _import(bench, story, as_csv(rows), "bench.csv")
    # What an ACLED row becomes in the record: the floor writes one row per event, the import
    # the rows of its versioned shape (items, history, sets and their history, index, log).
    written = _written(before, _table_rows())
    written_rows = sum(written.values())
    changed = acled_rows(count, changed_every=100, round_=2)
    again_ms = _import(bench, story, as_csv(changed), "bench-update.csv")
    per_row = Result(
        name="import_rows", title=f"ACLED import of {count:,} rows: per row vs a bare executemany INSERT",
        target=10.0, ratio=first_ms / floor_ms if floor_ms else None,
        case=Side("acled_import into an empty story (services, bulk versions, revisions)",
                  round(first_ms, 1)),
        floor=Side("psycopg executemany into a plain table, one transaction", round(floor_ms, 1)),
        details={"rows": count, "rows_per_s": round(count / first_ms * 1000),
                 "us_per_row": round(first_ms * 1000 / count, 1),
                 "rows_written": written_rows, "rows_written_per_event": round(written_rows / count, 2),
                 "written_by_table": written,
                 # The same per-row floor, times the rows the record writes for an event.
                 "ratio_per_row_written": round(first_ms / (floor_ms * written_rows / count), 2)
                 if floor_ms and written_rows else None})
    resync = Result(
        name="import_resync", title="ACLED re-import with 1 % of rows changed vs the first import",
        target=0.2, ratio=again_ms / first_ms if first_ms else None,
        case=Side(f"re-import, {len(range(0, count, 100))} rows changed", round(again_ms, 1)),
        floor=Side("first import", round(first_ms, 1)), details={"rows": count})
    return [per_row, resync]


MEASURES = [import_measures]



def run_alone(rows: int = 10_000) -> list[Result]:
    """The import measures alone: `manage.py shell -c "from bench.imports import run_alone; run_alone()"`."""
    from types import SimpleNamespace

    from .generate import bench_author
    from .run import table

    # The import measures read only the author and the row count of a prepared bench.
    results = import_measures(SimpleNamespace(author=bench_author(), size=SimpleNamespace(import_rows=rows)))
    print(table(results))
    return results

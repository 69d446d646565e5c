"""Measures of the event store through its services and selectors (no HTTP)."""

from __future__ import annotations

import itertools

import psycopg
from django.db import connection

from claims.selectors import claim_threads
from events import services
from events.models import Development
from events.selectors import story_revisions, story_timeline
from record.selectors import item_versions, latest_revision_id

from .measure import Result, compare
from .setup import Bench


def _floor_connection() -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"] or None, password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None, port=settings["PORT"] or None, autocommit=True,
    )


def write_cost(bench: Bench) -> Result:
    """1. One versioned update through the services vs a bare committed single-row INSERT."""
    development = bench.writes
    counter = itertools.count()

    def update():
        nonlocal development
        n = next(counter)
        development = services.development_update(
            author=bench.author, development=development, base_version=development.version,
            message=f"Benchmark edit {n}", changes={"summary": f"Edited for the {n}th time."},
        )

    with _floor_connection() as floor_db:
        floor_db.execute("CREATE TABLE IF NOT EXISTS bench_floor "
                         "(id bigserial PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL)")

        def insert():
            floor_db.execute("INSERT INTO bench_floor (note, at) VALUES (%s, now())", ["edit"])

        result = compare(
            "write_cost", "Cost of history on writes: versioned update vs bare INSERT",
            target=4.0, repeat=bench.write_repeat,
            case=("development_update (revision + version + triggers)", update),
            floor=("psycopg INSERT, committed", insert),
        )
        floor_db.execute("DROP TABLE bench_floor")
    result.details["revisions_per_s"] = round(1000 / result.case.ms, 1)
    result.details["floor_inserts_per_s"] = round(1000 / result.floor.ms, 1)
    return result


def _timeline(story, upto=None):
    rows = story_timeline(story, upto=upto)
    return rows, claim_threads([row.id for row in rows], upto=upto)


def _development_view(development_id: int):
    development = Development.objects.select_related("story").get(pk=development_id)
    threads = claim_threads([development_id])
    latest = item_versions(Development, development_id).last()  # "updated/corrected" label
    return development, threads, latest


def depth_timeline(bench: Bench) -> Result:
    """2. Timeline selectors (current) at 10x history depth vs 1x, same current state."""
    return compare(
        "depth_timeline", "Depth independence: timeline selectors, deep vs shallow history",
        target=1.3, repeat=bench.read_repeat,
        case=(f"timeline, {bench.deep_versions} versions/item", lambda: _timeline(bench.deep)),
        floor=("timeline, 1 version/item", lambda: _timeline(bench.flat)),
    )


def depth_development(bench: Bench) -> Result:
    """2. A development's view (claims, latest version) at 10x depth vs 1x."""
    deep_id, flat_id = bench.middle_development(bench.deep), bench.middle_development(bench.flat)
    return compare(
        "depth_development", "Depth independence: development selectors, deep vs shallow history",
        target=1.3, repeat=bench.read_repeat,
        case=(f"development, {bench.deep_versions} versions", lambda: _development_view(deep_id)),
        floor=("development, 1 version", lambda: _development_view(flat_id)),
    )


def depth_as_of(bench: Bench) -> Result:
    """2. The as-of path (versions_as_of) at the latest revision, 10x depth vs 1x."""
    upto = latest_revision_id()
    return compare(
        "depth_as_of", "Depth independence: as-of timeline at the latest revision, deep vs shallow",
        target=1.3, repeat=bench.read_repeat,
        case=(f"as-of timeline, {bench.deep_versions} versions/item",
              lambda: _timeline(bench.deep, upto)),
        floor=("as-of timeline, 1 version/item", lambda: _timeline(bench.flat, upto)),
    )


def time_travel(bench: Bench) -> Result:
    """3. The story as of a mid-point of its history vs its current view."""
    ids = list(story_revisions(bench.deep).order_by("id").values_list("id", flat=True))
    middle = ids[len(ids) // 2]
    return compare(
        "time_travel", "Time travel: story as of a mid-point vs current",
        target=2.0, repeat=bench.read_repeat,
        case=(f"as of revision {middle}", lambda: _timeline(bench.deep, middle)),
        floor=("current", lambda: _timeline(bench.deep)),
        as_of_revision=middle,
    )


MEASURES = [write_cost, depth_timeline, depth_development, depth_as_of, time_travel]

"""Measures of the search index: depth, history, the cost of keeping it in step, and its rebuild."""

from __future__ import annotations

import itertools
import time

from events import services
from record.signals import revision_committed
from search.index import rebuild, versions_in_log
from search.query import parse
from search.receivers import on_revision_committed
from search.selectors import Filters, search

from .measure import Result, Side, compare
from .setup import Bench

QUERY = parse("officials account")  # in every generated development's summary, every round


def _searching(story, **options):
    return lambda: search(QUERY, filters=Filters(story=story.id), **options)


def search_depth(bench: Bench) -> Result:
    """A search of the deep story's current record vs its flat twin's."""
    return compare("search_depth", "Search: the deep story (versions behind each item) vs the flat one",
                   target=1.3, repeat=bench.read_repeat,
                   case=("search, deep story", _searching(bench.deep)),
                   floor=("search, flat story", _searching(bench.flat)))


def search_history(bench: Bench) -> Result:
    """The same search over every version vs over the current record (deep story)."""
    return compare("search_history", "Search: every version vs the current record (deep story)",
                   target=3.0, repeat=bench.read_repeat,
                   case=("history=true", _searching(bench.deep, history=True)),
                   floor=("current record", _searching(bench.deep)))


def search_index_cost(bench: Bench) -> Result:
    """development_update with the index kept in step (its receiver) vs without it."""
    counter, development = itertools.count(), bench.writes

    def edit():
        item = type(development).objects.get(pk=development.pk)
        n = next(counter)
        services.development_update(author=bench.author, development=item, base_version=item.version,
                                    message=f"Search cost {n}", changes={"summary": f"Edit {n}."})

    def without_index():
        revision_committed.disconnect(dispatch_uid="search.revision_committed")
        try:
            edit()
        finally:
            revision_committed.connect(on_revision_committed, dispatch_uid="search.revision_committed")

    return compare("search_index_cost", "Search: development_update with the index in step vs without",
                   target=1.15, repeat=bench.write_repeat,
                   case=("with the index's receiver", edit), floor=("receiver disconnected", without_index))


def search_rebuild(bench: Bench) -> Result:
    """rebuild_search_index over every version: versions per second, beside reading them alone."""
    started = time.perf_counter()
    versions = sum(1 for _ in versions_in_log())
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    drift = rebuild()
    rebuild_s = time.perf_counter() - started
    return Result(name="search_rebuild", title="Search: rebuild the index from every version, versions/s",
                  target=1000, at_least=True, unit="/s", ratio=versions / rebuild_s,
                  case=Side("rebuild_search_index", round(rebuild_s * 1000, 1)),
                  floor=Side("read the versions alone", round(read_s * 1000, 1)),
                  details={"versions": versions, "read_versions_per_s": round(versions / read_s),
                           "drift_found": len(drift.missing) + len(drift.wrong) + len(drift.extra)})


MEASURES = [search_depth, search_history, search_index_cost, search_rebuild]

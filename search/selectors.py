"""The read side: search the current record, the record as of a moment, or every version.

One call answers a page of hits and the facet counts in a constant number of
queries, however many hits and versions there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet

from . import engines
from .models import Entry
from .query import Query

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    """The facets a search is narrowed by (each a URL parameter of the surfaces)."""

    story: int | None = None
    type: str = ""
    kind: str = ""
    actor: int | None = None
    verification: str = ""
    status: str = ""
    key: bool = False
    occurred_from: dt.date | None = None
    occurred_to: dt.date | None = None
    country: str = ""
    admin1: str = ""


# Facets counted per value, and the entry column each counts.
FACETS = {"story": "story_id", "type": "type", "kind": "kind", "actor": "actors__actor_id",
          "verification": "verification", "status": "status", "country": "country", "admin1": "admin1"}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _filtered(entries: QuerySet, filters: Filters) -> QuerySet:
    simple = {"story_id": filters.story, "type": filters.type, "kind": filters.kind,
              "verification": filters.verification, "status": filters.status,
              "country": filters.country, "admin1": filters.admin1}
    entries = entries.filter(**{name: value for name, value in simple.items() if value not in ("", None)})
    if filters.actor is not None:
        entries = entries.filter(actors__actor_id=filters.actor)
    if filters.key:
        entries = entries.filter(key_event=True)
    # A development may have happened anywhere in its window (its moment widened by its
    # precision): it is in a date range when its window overlaps the range's days.
    if filters.occurred_from is not None:
        entries = entries.filter(occurred_until__gt=_midnight(filters.occurred_from))
    if filters.occurred_to is not None:
        entries = entries.filter(occurred_from__lt=_midnight(filters.occurred_to) + dt.timedelta(days=1))
    return entries


def _scoped(upto: int | None, history: bool) -> QuerySet:
    if history:
        return Entry.objects.all()
    if upto is None:
        return Entry.objects.filter(until_version__isnull=True)
    # As known after revision `upto`: written by then, and not yet replaced by then.
    return Entry.objects.filter(Q(until_revision_id__isnull=True) | Q(until_revision_id__gt=upto),
                                revision_id__lte=upto)


@dataclass
class Hit:
    """One item found: the version that matched (the latest that did) and, in history, its span."""

    entry: Entry
    rank: float
    first: Entry | None = None  # history: the earliest version that said it
    # history: where the record stopped saying it (None: the current record still says it)
    removed_version: int | None = None
    removed_revision: int | None = None
    removed_at: dt.datetime | None = None


@dataclass
class Results:
    query: Query
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    facets: dict[str, dict] = field(default_factory=dict)
    story_slugs: dict[int, str] = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.hits) < self.total


def _facet_values(filters: Filters) -> dict[str, object]:
    """The facets the filters name, by facet (unset facets left out)."""
    chosen = {name: getattr(filters, name) for name in FACETS}
    chosen = {name: value for name, value in chosen.items() if value not in ("", None)}
    if filters.key:
        chosen["key"] = True
    return chosen


def facet_counts(matched: QuerySet, filters: Filters) -> dict[str, dict]:
    """{facet: {value: count}}: each facet counted under every other filter but its own.

    One query, whatever the number of facets: the matched entries' facet columns
    (one row per entry and actor) are read once and counted here.
    """
    columns = list(FACETS.values())
    base = _filtered(matched, Filters(occurred_from=filters.occurred_from, occurred_to=filters.occurred_to))
    entries: dict[int, dict] = {}
    for row in base.values("id", "key_event", *columns).order_by():
        entry = entries.setdefault(row["id"], {**{name: row[column] for name, column in FACETS.items()},
                                               "key": row["key_event"] or None, "actor": set()})
        if row["actors__actor_id"] is not None:
            entry["actor"].add(row["actors__actor_id"])
    chosen = _facet_values(filters)

    def passes(entry: dict, name: str, value) -> bool:
        return value in entry[name] if name == "actor" else entry[name] == value

    counts: dict[str, dict] = {name: {} for name in (*FACETS, "key")}
    for entry in entries.values():
        failing = [name for name, value in chosen.items() if not passes(entry, name, value)]
        if len(failing) > 1:
            continue
        for name, tally in counts.items():
            if failing and failing != [name]:
                continue  # counted only under the facet it fails (the one not applied to itself)
            values = entry[name] if name == "actor" else [entry[name]]
            for value in values:
                if value not in ("", None):
                    tally[value] = tally.get(value, 0) + 1
    return {name: dict(sorted(tally.items(), key=lambda item: (-item[1], str(item[0]))))
            for name, tally in counts.items()}


def search(query: Query, *, filters: Filters = Filters(), upto: int | None = None, history: bool = False,
           offset: int = 0, limit: int = PAGE_SIZE, with_facets: bool = True,
           newest: bool = False) -> Results:
    """The hits for `query`, best first (`newest`: latest recorded first): the current record,
    as of revision `upto`, or every version (`history`)."""
    matched = engines.matching(_scoped(upto, history), query)
    found = _filtered(matched, filters)
    if history:
        hits, total = _history_page(found, offset, limit)
    else:
        total = found.count()
        order = ("-revision_id", "-id") if newest else ("-rank", "id")
        hits = [Hit(entry, entry.rank) for entry in found.order_by(*order)[offset:offset + limit]]
    results = Results(query, hits, total, offset, limit)
    if with_facets:
        results.facets = facet_counts(matched, filters)
    stories = {hit.entry.story_id for hit in hits if hit.entry.story_id}
    if stories:
        from events.models import Story

        results.story_slugs = dict(Story.objects.filter(id__in=stories).values_list("id", "slug"))
    return results


def _history_page(found: QuerySet, offset: int, limit: int) -> tuple[list[Hit], int]:
    """Hits per item over every matching version: when it was first said and when it stopped."""
    items = (found.values("type", "item_id")
             .annotate(best=Max("rank"), first=Min("version"), last=Max("version"),
                       current=Count("id", filter=Q(until_version__isnull=True)))
             .order_by("-best", "type", "item_id"))
    total = items.count()
    page = list(items[offset:offset + limit])
    if not page:
        return [], total
    wanted = Q()
    for item in page:
        wanted |= Q(type=item["type"], item_id=item["item_id"], version__in=(item["first"], item["last"]))
    rows = {(e.type, e.item_id, e.version): e for e in Entry.objects.filter(wanted)}
    hits = []
    for item in page:
        last = rows[(item["type"], item["item_id"], item["last"])]
        hit = Hit(last, item["best"], first=rows[(item["type"], item["item_id"], item["first"])])
        if not item["current"]:
            hit.removed_version, hit.removed_revision = last.until_version, last.until_revision_id
            hit.removed_at = last.until_at
        hits.append(hit)
    return hits, total

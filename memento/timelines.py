"""The moments an original resource changed: what its TimeGate probes and its TimeMap lists.

A page's Mementos are the revisions that changed what it shows, on the
publication clock (`Revision.created_at`, when the tracker recorded them):
- a story page: every revision of the story (its `StoryRevision` links,
  which cover the story, its developments, claims and briefing), read on the
  (story, -revision) index;
- a development page: the versions of the development and of its claims
  (their `belongs_to`), on the (id, revision_id) index of each history table;
- a claim page: the claim's versions.
A captured source's Mementos are its kept captures, on the clock of the fetch.

Every question of a page's timeline (the Memento at a moment; its first, last,
previous and next) is one query, an index probe per table, whatever the depth
of the history; a TimeMap page is one keyset query per table whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery

from archive.models import Capture
from claims.models import Claim
from events.models import Development, Story, StoryRevision
from record.models import Revision


@dataclass(frozen=True)
class Moment:
    """One Memento: the key naming it (a revision id, or a capture id) and its datetime."""

    key: int
    at: dt.datetime


def _revision_before(moment: dt.datetime) -> Subquery:
    # The "as of" cursor (record.selectors.revision_at) as a subquery: the probe stays one statement.
    # Revision times never go back as ids grow (record.versioning refuses it), so the last
    # revision by time is the last by id: read from the created_at index, one probe however
    # many revisions came after the moment (ordering by id would walk back over all of them).
    return Subquery(Revision.objects.filter(created_at__lte=moment)
                    .order_by("-created_at", "-id").values("id")[:1])


class RevisionTimeline:
    """The revisions that changed a page, read from one or more tables keyed by `revision_id`.

    Each question is one query: a probe per table as a subquery (an index read
    each), the revisions they name read by primary key.
    """

    def __init__(self, *tables: QuerySet):
        self.tables = tables

    def _probes(self, *, descending: bool, **lookups) -> list[QuerySet]:
        order = "-revision_id" if descending else "revision_id"
        return [table.filter(**lookups).order_by(order).values("revision_id")[:1] for table in self.tables]

    def _named(self, probes: list[QuerySet]) -> list[Moment]:
        named = Q()
        for probe in probes:
            named |= Q(id=Subquery(probe))
        rows = Revision.objects.filter(named).order_by("id").values_list("id", "created_at")
        return [Moment(*row) for row in rows]

    def first(self) -> Moment | None:
        return next(iter(self._named(self._probes(descending=False))), None)

    def last(self) -> Moment | None:
        return next(reversed(self._named(self._probes(descending=True))), None)

    def bounds(self) -> tuple[Moment | None, Moment | None]:
        """(first, last) in one query."""
        found = self._named(self._probes(descending=False) + self._probes(descending=True))
        return (found[0], found[-1]) if found else (None, None)

    def at(self, moment: dt.datetime) -> Moment | None:
        """The last Memento recorded at or before `moment` (None: before the first)."""
        found = self._named(self._probes(descending=True, revision_id__lte=_revision_before(moment)))
        return found[-1] if found else None

    def around(self, shown: Moment) -> dict[str, Moment | None]:
        """The first, last, previous and next Mementos around `shown`, in one query."""
        found = self._named(
            self._probes(descending=False) + self._probes(descending=True)
            + self._probes(descending=True, revision_id__lt=shown.key)
            + self._probes(descending=False, revision_id__gt=shown.key))
        earlier = [moment for moment in found if moment.key < shown.key]
        later = [moment for moment in found if moment.key > shown.key]
        return {"first": found[0] if found else None, "last": found[-1] if found else None,
                "prev": earlier[-1] if earlier else None, "next": later[0] if later else None}

    def page(self, *, after: int | None = None, before: int | None = None, size: int) -> list[Moment]:
        """Up to `size` + 1 Mementos after `after` (or the `size` + 1 before `before`), oldest first.

        The extra one tells the caller another page follows (or precedes).
        """
        lookups = {"revision_id__gt": after} if after is not None else {}
        if before is not None:
            lookups = {"revision_id__lt": before}
        order = "-revision_id" if before is not None else "revision_id"
        rows: set[tuple[int, dt.datetime]] = set()
        for table in self.tables:  # one keyset query per table; a revision writing two tables counts once
            rows.update(table.filter(**lookups).order_by(order)
                        .values_list("revision_id", "revision__created_at")[:size + 1])
        ordered = sorted(rows, reverse=before is not None)[:size + 1]
        return [Moment(*row) for row in sorted(ordered)]


class CaptureTimeline:
    """A source's kept captures (a WARC file each), ordered by the time they were fetched."""

    def __init__(self, source_id: int):
        self.captures = Capture.objects.filter(source_id=source_id).exclude(warc="")

    def _one(self, queryset, *order: str) -> Moment | None:
        row = queryset.order_by(*order).values_list("id", "captured_at").first()
        return Moment(*row) if row else None

    def _around(self, key: int) -> tuple[Q, Q, Q]:
        """(same time as capture `key`, earlier, later): the keyset of (captured_at, id)."""
        pivot = Capture.objects.filter(pk=key).values("captured_at")
        return Q(captured_at=Subquery(pivot)), Q(captured_at__lt=Subquery(pivot)), Q(
            captured_at__gt=Subquery(pivot))

    def first(self) -> Moment | None:
        return self._one(self.captures, "captured_at", "id")

    def last(self) -> Moment | None:
        return self._one(self.captures, "-captured_at", "-id")

    def before(self, key: int) -> Moment | None:
        same, earlier, _ = self._around(key)
        return self._one(self.captures.filter(earlier | (same & Q(id__lt=key))), "-captured_at", "-id")

    def after(self, key: int) -> Moment | None:
        same, _, later = self._around(key)
        return self._one(self.captures.filter(later | (same & Q(id__gt=key))), "captured_at", "id")

    def at(self, moment: dt.datetime) -> Moment | None:
        return self._one(self.captures.filter(captured_at__lte=moment), "-captured_at", "-id")

    def bounds(self) -> tuple[Moment | None, Moment | None]:
        return self.first(), self.last()

    def around(self, shown: Moment) -> dict[str, Moment | None]:
        # A source has a handful of captures (one a check that found a change): four small reads.
        return {"first": self.first(), "last": self.last(),
                "prev": self.before(shown.key), "next": self.after(shown.key)}

    def page(self, *, after: int | None = None, before: int | None = None, size: int) -> list[Moment]:
        captures, order = self.captures, ("captured_at", "id")
        if after is not None:
            same, _, later = self._around(after)
            captures = captures.filter(later | (same & Q(id__gt=after)))
        if before is not None:
            same, earlier, _ = self._around(before)
            captures, order = captures.filter(earlier | (same & Q(id__lt=before))), ("-captured_at", "-id")
        rows = captures.order_by(*order).values_list("id", "captured_at")[:size + 1]
        return sorted((Moment(*row) for row in rows), key=lambda m: (m.at, m.key))


# --- The original resources, by the name of their URL --------------------------


def story_timeline(*, slug: str) -> RevisionTimeline:
    story_id = Subquery(Story.objects.filter(slug=slug).values("id")[:1])
    return RevisionTimeline(StoryRevision.objects.filter(story_id=story_id))


def development_timeline(*, pk: int, slug: str | None = None) -> RevisionTimeline:
    # What the development's page shows: the development and its claims (Claim.belongs_to);
    # on a page, only under its own story's slug (another slug's URL is no page at all).
    development = {"story__slug": slug} if slug is not None else {}
    claims = {"development__story__slug": slug} if slug is not None else {}
    return RevisionTimeline(Development.history.model.objects.filter(id=pk, **development),
                            Claim.history.model.objects.filter(**{f"{Claim.belongs_to}_id": pk}, **claims))


def claim_timeline(*, pk: int, slug: str | None = None) -> RevisionTimeline:
    story = {"development__story__slug": slug} if slug is not None else {}
    return RevisionTimeline(Claim.history.model.objects.filter(id=pk, **story))


# URL name -> (timeline of the resource from the URL's arguments).
ORIGINALS = {
    "pages:story": lambda kwargs: story_timeline(slug=kwargs["slug"]),
    "pages:development": lambda kwargs: development_timeline(pk=int(kwargs["pk"]), slug=kwargs["slug"]),
    "pages:claim": lambda kwargs: claim_timeline(pk=int(kwargs["pk"]), slug=kwargs["slug"]),
    "api-story-detail": lambda kwargs: story_timeline(slug=kwargs["slug"]),
    # The API's development shows its own fields only (claims are their own resources).
    "api-development-detail": lambda kwargs: RevisionTimeline(
        Development.history.model.objects.filter(id=int(kwargs["id"]))),
    "api-claim-detail": lambda kwargs: claim_timeline(pk=int(kwargs["id"])),
}

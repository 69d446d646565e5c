"""Reads behind the public pages: story list, timeline, development, history, diff, changelog.

Every function runs a fixed number of queries however large the story grows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Max, OuterRef, Prefetch, Subquery, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from archive.selectors import with_capture_failure
from claims.models import Claim, figure_text
from claims.selectors import (
    ClaimThread,
    ContestedFigure,
    VerificationStep,
    claim_threads,
    claim_verification_history,
    claim_with_parts,
    contested_figures,
)
from events.models import Actor, Briefing, Development, Source, Story, StoryRevision
from events.selectors import story_as_of, story_briefing, story_revisions, story_timeline
from reader.text import ShownChange, reader_changes
from record.diff import FieldChange, diff_versions
from record.models import Revision
from record.selectors import item_versions, version_values, versions_as_of, versions_written_by

from .charts import Chart, figure_chart

# The revision kinds a reader sees as a label on an item, and the word for each.
LABEL_WORDS = {
    Revision.Kind.UPDATE: "Updated",
    Revision.Kind.CLARIFICATION: "Updated",
    Revision.Kind.RESTORE: "Updated",
    Revision.Kind.CORRECTION: "Corrected",
    Revision.Kind.RETRACTION: "Retracted",
}


@dataclass(frozen=True)
class Label:
    word: str  # Updated / Corrected / Retracted
    at: dt.datetime
    version: int | None = None  # the item's latest version that earned it: the badge links to its diff

    @property
    def previous(self) -> int | None:
        return self.version - 1 if self.version else None

    @property
    def css(self) -> str:
        return self.word.lower()


@dataclass
class ItemChanges:
    """When an item was first published and the labels its later revisions earned."""

    first_at: dt.datetime | None = None
    labels: dict[str, Label] = field(default_factory=dict)

    def add(self, kind: str, at: dt.datetime, version: int | None = None) -> None:
        word = LABEL_WORDS.get(kind)
        if word and (word not in self.labels or self.labels[word].at < at):
            self.labels[word] = Label(word, at, version)

    def label_list(self) -> list[Label]:
        return sorted(self.labels.values(), key=lambda label: label.at, reverse=True)


@dataclass
class TimelineEntry:
    development: Any  # Development, or its history row in an as-of view
    threads: list[ClaimThread]
    labels: list[Label]
    first_at: dt.datetime | None


@dataclass
class StoryPage:
    story: Story
    shown: Any  # the story as shown: current row, or its version as of the moment
    entries: list[TimelineEntry]
    figures: list[ContestedFigure]
    claim_labels: dict[int, list[Label]]
    first_moment: Revision | None  # the story's first revision: when it was published
    shown_moment: Revision | None  # the story's last revision included in the view
    previous_moment: Revision | None  # the revisions either side, to step through time
    next_moment: Revision | None
    upto: int | None = None
    moment: dt.datetime | None = None
    briefing: Any = None  # "What we know" as shown (current row or its version), or None
    newest_first: bool = False  # `?order=newest`: the timeline from the latest development down

    @property
    def latest_entry(self) -> TimelineEntry | None:
        """The development that happened last: the "Latest" jump's target."""
        if not self.entries:
            return None
        return self.entries[0] if self.newest_first else self.entries[-1]

    @property
    def key_entries(self) -> list[TimelineEntry]:
        """The developments marked key, in timeline order: the "Key developments" strip."""
        return [entry for entry in self.entries if entry.development.key_event]

    @property
    def charts(self) -> list[Chart]:
        return [figure_chart(figure) for figure in self.figures]



def _cited_sources():
    # Sources as the pages show them: with why their latest capture failed, if it did ("not archived").
    return with_capture_failure(Source.objects.all())

def story_moments(story: Story, upto: int | None) -> tuple[Revision | None, ...]:
    """(first, shown, previous, next) revisions of the story around `upto`: index probes,
    however long the story's history."""
    revisions = story_revisions(story).only("id", "created_at", "kind", "message")
    first = revisions.order_by("id").first()
    shown = (revisions.filter(id__lte=upto) if upto is not None else revisions).order_by("-id").first()
    previous = revisions.filter(id__lt=shown.id).order_by("-id").first() if shown else None
    later = None
    if upto is not None:
        later = revisions.filter(id__gt=shown.id if shown else 0).order_by("id").first()
    return first, shown, previous, later


def story_list() -> list[Story]:
    """Stories, most recently changed first, each with its latest change and size."""
    latest = Revision.objects.filter(story_link__story=OuterRef("pk")).order_by("-id")
    developments = (
        Development.objects.filter(story=OuterRef("pk")).order_by()
        .values("story").annotate(n=Count("id")).values("n")
    )
    return list(
        Story.objects.annotate(
            latest_change_at=Subquery(latest.values("created_at")[:1]),
            latest_change_message=Subquery(latest.values("message")[:1]),
            latest_change_kind=Subquery(latest.values("kind")[:1]),
            development_count=Subquery(developments),
        ).order_by("-latest_change_at", "title")
    )


def story_get(slug: str) -> Story:
    return get_object_or_404(Story, slug=slug)


def item_changes(development_ids: list[int], *, upto: int | None = None,
                 ) -> tuple[dict[int, ItemChanges], dict[int, ItemChanges]]:
    """Labels of developments and of their claims, from their versions' revisions.

    Aggregated in the database (one row per item and kind of change), so a long
    history costs an index scan, not a Python loop over every version.
    """
    rows = {Development: Development.history.model.objects.filter(id__in=development_ids),
            Claim: Claim.history.model.objects.filter(development_id__in=development_ids)}
    result: dict[type, dict[int, ItemChanges]] = {}
    for model, queryset in rows.items():
        if upto is not None:
            queryset = queryset.filter(revision_id__lte=upto)
        changes: dict[int, ItemChanges] = defaultdict(ItemChanges)
        grouped = (
            queryset.filter(revision__minor=False)
            .annotate(first=Case(When(version=1, then=Value(True)), default=Value(False)))
            .values_list("id", "first", "revision__kind")
            .annotate(at=Max("revision__created_at"), last=Max("version"))
            .order_by("at")
        )
        for item_id, first, kind, at, last in grouped:
            if first:
                changes[item_id].first_at = at
            else:
                changes[item_id].add(kind, at, last)
        result[model] = changes
    return result[Development], result[Claim]


def story_page(story: Story, *, upto: int | None = None, moment: dt.datetime | None = None,
               newest_first: bool = False) -> StoryPage:
    """The timeline: current, or as known at revision `upto` (0: before anything was known);
    in the order things happened, or `newest_first`."""
    developments = story_timeline(story, upto=upto) if upto != 0 else []
    shown = story if upto is None else (story_as_of(story, upto) if upto else None)
    ids = [d.id for d in developments]
    threads = claim_threads(ids, upto=upto, sources=_cited_sources()) if ids else {}
    figures = [f for f in contested_figures(ids, upto=upto) if f.is_contested] if ids else []
    development_changes, claim_changes = item_changes(ids, upto=upto) if ids else ({}, {})
    entries = []
    for development in developments:
        changes = development_changes.get(development.id, ItemChanges())
        labels = [label for label in changes.label_list()
                  if label.word != "Retracted" or development.status == Development.Status.RETRACTED]
        entries.append(TimelineEntry(development, threads.get(development.id, []), labels,
                                     changes.first_at))
    if newest_first:
        entries.reverse()
    first_moment, shown_moment, previous_moment, next_moment = story_moments(story, upto)
    briefing = story_briefing(story, upto) if upto != 0 else None
    return StoryPage(
        story=story, shown=shown, entries=entries, figures=figures,
        claim_labels={pk: c.label_list() for pk, c in claim_changes.items()},
        first_moment=first_moment, shown_moment=shown_moment,
        previous_moment=previous_moment, next_moment=next_moment,
        upto=upto, moment=moment, briefing=briefing, newest_first=newest_first,
    )


@dataclass
class DevelopmentPage:
    development: Development
    threads: list[ClaimThread]
    labels: list[Label]
    claim_labels: dict[int, list[Label]]
    first_at: dt.datetime | None
    actors: list[Actor]  # who is involved and the sources cited, as the page lists them
    sources: list[Source]


def development_get(slug: str, pk: int) -> Development:
    return get_object_or_404(
        Development.objects.select_related("story"), pk=pk, story__slug=slug
    )


def development_page(slug: str, pk: int, upto: int | None = None) -> DevelopmentPage:
    """A development with its claims: current, or as known at revision `upto` (a Memento)."""
    if upto is None:
        development = get_object_or_404(
            Development.objects.select_related("story").prefetch_related(
                Prefetch("sources", queryset=_cited_sources()), "actors__affiliation"
            ), pk=pk, story__slug=slug,
        )
        actors, sources = list(development.actors.all()), list(development.sources.all())
    else:
        development, actors, sources = _development_as_of(slug, pk, upto)
    development_changes, claim_changes = item_changes([development.pk], upto=upto)
    changes = development_changes.get(development.pk, ItemChanges())
    labels = [label for label in changes.label_list()
              if label.word != "Retracted" or development.is_retracted]
    return DevelopmentPage(
        development=development,
        threads=claim_threads([development.pk], upto=upto, sources=_cited_sources()).get(development.pk, []),
        labels=labels,
        claim_labels={pk: c.label_list() for pk, c in claim_changes.items()},
        first_at=changes.first_at,
        actors=actors, sources=sources,
    )


def _development_as_of(slug: str, pk: int, upto: int) -> tuple[Any, list[Actor], list]:
    """The development's version as of `upto` (404: not recorded yet), with the actors and
    sources that version names (sources as known then, as claims cite them)."""
    row = versions_as_of(Development, upto, id=pk, story__slug=slug).select_related("story").first()
    if row is None:
        raise Http404("This development had not been published at that moment.")
    row.is_retracted = row.status == Development.Status.RETRACTED  # a history row has no properties
    named = version_values(row)
    actors = list(Actor.objects.filter(id__in=named["actors"]).select_related("affiliation")
                  .order_by("name", "id"))
    found = {version.id: version for version in versions_as_of(Source, upto, id__in=named["sources"])}
    sources = sorted(found.values(), key=lambda source: (source.outlet, source.title, source.id))
    return row, actors, sources


@dataclass
class FigurePage:
    development: Development
    chart: Chart


def figure_page(slug: str, pk: int, key: str) -> FigurePage:
    """One figure of a development (e.g. deaths of civilians) with its chart; Http404 if none."""
    development = development_get(slug, pk)
    found = next((f for f in contested_figures([development.pk]) if f.key == key), None)
    if found is None:
        raise Http404("No such figure about this development.")
    return FigurePage(development, figure_chart(found))


@dataclass
class VersionEntry:
    row: Any  # a Development or Claim history row
    changes: list[FieldChange]
    previous: int | None


def item_history(model: type, pk: int) -> list[VersionEntry]:
    """Every version of a development or claim, newest first, each with what it changed."""
    rows = list(item_versions(model, pk, with_sets=True))
    entries, previous = [], None
    for row in rows:
        entries.append(VersionEntry(row, diff_versions(previous, row),
                                    previous.version if previous else None))
        previous = row
    return entries[::-1]


# A figure's parts are one fact to a reader: shown as one change, before → after in words.
FIGURE_FIELDS = ("figure_low", "figure_best", "figure_high", "figure_qualifier", "figure_unit",
                 "figure_group")


def _figure_in_words(changes: list[ShownChange], older, newer) -> list[ShownChange]:
    """Claim changes with the figure's parts replaced by one change of the figure in words."""
    parts = [c for c in changes if c.field in FIGURE_FIELDS]
    if not parts:
        return changes
    before, after = (figure_text(older) if older is not None else ""), figure_text(newer)
    figure = ShownChange(FieldChange("figure", "Figure", before, after), before, after)
    rest = [c for c in changes if c.field not in FIGURE_FIELDS]
    return [figure, *rest] if before != after else rest


def item_diff(model: type, pk: int, *, older: int, newer: int) -> tuple[Any, Any, list[ShownChange]]:
    """What changed between two versions of a development or claim; Http404 for a missing version."""
    # Version 0 is "nothing yet": comparing with it shows the creation.
    found = {row.version: row for row in
             item_versions(model, pk, with_sets=True).filter(version__in=(older, newer))}
    if newer not in found or (older > 0 and older not in found):
        raise Http404(f"No such version of this {model._meta.verbose_name}.")
    rows = [found.get(older), found[newer]]
    changes = [c for c in diff_versions(rows[0], rows[1]) if c.field not in ("story", "development")]
    shown = reader_changes(model, changes)
    if model is Claim:
        shown = _figure_in_words(shown, rows[0], rows[1])
    return rows[0], rows[1], shown


@dataclass
class ClaimPage:
    claim: Any  # the claim, with actor_cached and sources_cached
    development: Development
    labels: list[Label]
    first_at: dt.datetime | None
    verification: list[VerificationStep]


def claim_get(slug: str, pk: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("development__story"),
                             pk=pk, development__story__slug=slug)


def claim_page(slug: str, pk: int, upto: int | None = None) -> ClaimPage:
    """A claim on its own page: what it says, who says it, its labels and its verification steps;
    current, or as known at revision `upto` (a Memento)."""
    claim = claim_get(slug, pk)
    if upto is not None:
        claim = versions_as_of(Claim, upto, id=pk).select_related("development__story").first()
        if claim is None:
            raise Http404("This claim had not been published at that moment.")
    claim_with_parts(claim, sources=_cited_sources(), upto=upto)
    _, claim_changes = item_changes([claim.development_id], upto=upto)
    changes = claim_changes.get(claim.pk, ItemChanges())
    return ClaimPage(claim=claim, development=claim.development, labels=changes.label_list(),
                     first_at=changes.first_at, verification=claim_verification_history(claim.pk, upto))


@dataclass
class ChangedItem:
    kind: str  # story / development / claim / briefing ("What we know")
    title: str
    version: int
    development_id: int | None
    development_title: str = ""  # for a claim: the development it is about
    claim_id: int | None = None


@dataclass
class ChangelogEntry:
    revision: Revision
    items: list[ChangedItem]

    @property
    def is_correction(self) -> bool:
        return self.revision.kind in (Revision.Kind.CORRECTION, Revision.Kind.RETRACTION)


def story_changelog(story: Story, *, limit: int | None = None,
                    key_only: bool = False) -> list[ChangelogEntry]:
    """The story's revisions, newest first, each with the items it wrote.

    `key_only`: only revisions that wrote a version of a key development (the feeds' `?key=true`).
    """
    revisions = story_revisions(story).order_by("-id")
    if key_only:
        revisions = revisions.filter(id__in=versions_written_by(
            Development, story_id=story.pk, key_event=True, revision_id__gt=0).values("revision_id"))
    if limit:
        revisions = revisions[:limit]
    revisions = list(revisions)
    if not revisions:
        return []
    oldest = revisions[-1].id
    items: dict[int, list[ChangedItem]] = defaultdict(list)
    for revision_id, version, title in versions_written_by(
        Story, id=story.pk, revision_id__gte=oldest
    ).values_list("revision_id", "version", "title"):
        items[revision_id].append(ChangedItem("story", title, version, None))
    for revision_id, version in versions_written_by(
        Briefing, story_id=story.pk, revision_id__gte=oldest
    ).values_list("revision_id", "version"):
        items[revision_id].append(ChangedItem("briefing", "What we know", version, None))
    for revision_id, pk, version, title in versions_written_by(
        Development, story_id=story.pk, revision_id__gte=oldest
    ).values_list("revision_id", "id", "version", "title").order_by("history_id"):
        items[revision_id].append(ChangedItem("development", title, version, pk))
    for revision_id, claim_id, development_id, version, paraphrase, about in versions_written_by(
        Claim, development__story_id=story.pk, revision_id__gte=oldest
    ).values_list(
        "revision_id", "id", "development_id", "version", "paraphrase", "development__title"
    ).order_by("history_id"):
        items[revision_id].append(ChangedItem("claim", paraphrase, version, development_id, about, claim_id))
    return [ChangelogEntry(revision, items.get(revision.id, [])) for revision in revisions]


def story_feed_state(slug: str) -> tuple[int, dt.datetime] | None:
    """(latest revision id, its time) of a story, for ETag and Last-Modified; None if unknown."""
    # By story id, not a join on the slug: the planner then reads the newest
    # entry of the (story, id) index instead of scanning the log backwards.
    story_id = Story.objects.filter(slug=slug).values("id")[:1]
    latest = (
        StoryRevision.objects.filter(story_id=Subquery(story_id)).order_by("-revision_id")
        .values_list("revision_id", "revision__created_at").first()
    )
    return tuple(latest) if latest else None

"""Importing an ACLED file into a story: new rows, changed rows and deletions, as revisions.

The file is read as a stream (`interchange.reading`) and imported in batches
of `BATCH_ROWS` rows, each checked and then written in a transaction of its
own: the batch's new actors and sources in a *created* revision, its new events
in another, its changed ones in an *update* revision whose message names the
file; deletions follow in one *retraction* revision per batch. An unchanged row
writes nothing, so importing the same file again is idempotent (ACLED's rows
keep their `event_id_cnty`, and a row changes only with its `timestamp`).

Atomicity is per batch: the import is resumable, not all-or-nothing. The first
bad row (or a refused batch, a conflicting edit, an unreadable line) stops the
writing; the batches before it stay, and the summary says which lines landed
and lists every problem in the rest of the file. Running the same file again,
corrected, finishes the import: the rows that landed compare equal and write
nothing. Memory follows the batch, not the file (docs/data-in-and-out.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services as claim_services
from claims.models import Claim, figure_text
from events import services as event_services
from events.models import Actor, Development, Source, Story
from record.errors import StaleVersionError
from record.models import Revision

from .acled import CODER, CODER_ROLE, FIGURE_NOTE, LayoutError, Problem, Row
from .collector import collect_batch, collecting_less
from .reading import in_batches
from .selectors import coded_figures, story_events

# Rows per batch: one transaction, a bounded leaf in the public log, a bounded digest entry, and
# the most rows an import holds in memory at once.
BATCH_ROWS = 500

CLAIM_FIELDS = ("made_on", "paraphrase", "figure_low", "figure_best", "figure_high", "figure_qualifier",
                "figure_unit", "figure_note")
DEVELOPMENT_FIELDS = ("title", "summary", "kind", "occurred_at", "occurred_precision", "location",
                      "admin1", "country", "latitude", "longitude", "geo_precision", "external_data")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retracted: int = 0
    revisions: int = 0
    skipped: list[Problem] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # deletions naming no event of the story
    new_actors: int = 0
    new_sources: int = 0
    batches: int = 0  # batches landed, each in its own transaction
    landed_through: int = 0  # the file's last line whose batch landed (0: none)
    last_revision: int | None = None
    problems: list[Problem] = field(default_factory=list)  # bad rows that stopped the import
    stopped: str = ""  # why the writing stopped, other than bad rows

    def wrote(self, revision: Revision) -> None:
        self.revisions += 1
        self.last_revision = revision.pk

    def add(self, batch: ImportSummary) -> None:
        """Count a batch that landed."""
        for name in ("created", "updated", "unchanged", "revisions", "new_actors", "new_sources"):
            setattr(self, name, getattr(self, name) + getattr(batch, name))
        self.last_revision = batch.last_revision or self.last_revision

    @property
    def landed(self) -> int:
        return self.created + self.updated + self.unchanged


class ImportStopped(Exception):
    """The import stopped part-way: `summary` says what landed and why it stopped."""

    def __init__(self, summary: ImportSummary):
        super().__init__(summary.stopped or f"{len(summary.problems)} bad row(s)")
        self.summary = summary


def _batches(items: list):
    for start in range(0, len(items), BATCH_ROWS):
        yield items[start:start + BATCH_ROWS]


def coder(author) -> Actor:
    """The coding organisation every imported figure is attributed to (created once)."""
    found = Actor.objects.filter(name=CODER).order_by("id").first()
    return found or event_services.actor_create(
        author=author, message=f"{CODER}, the coding organisation of imported figures",
        name=CODER, kind=Actor.Kind.ORGANISATION, role=CODER_ROLE)


def _names_to_items(author, story: Story, rows: list[Row], file_name: str,
                    summary: ImportSummary) -> tuple[Actor, dict, dict]:
    """The coder, actors by name and sources by outlet: found, or created in one revision."""
    names = {name: kind for row in rows for name, kind in row.actors}
    outlets = {outlet for row in rows for outlet in row.outlets}
    # The oldest of a name wins when two share it: the one the desk has known longest.
    actors = {a.name: a for a in Actor.objects.filter(name__in=[*names, CODER]).order_by("-id")}
    sources = {s.outlet: s for s in Source.objects.filter(outlet__in=outlets).order_by("-id")}
    if not (set(names) - set(actors) or outlets - set(sources) or CODER not in actors):
        return actors[CODER], actors, sources
    with event_services.story_revision(author=author, story=story, kind=Revision.Kind.CREATED,
                                       message=f"Actors and sources named in {file_name}") as revision:
        found = coder(author), *_create_names(author, names, outlets, actors, sources, summary)
    summary.wrote(revision)
    return found


def _create_names(author, names: dict, outlets: set, actors: dict, sources: dict,
                  summary: ImportSummary) -> tuple[dict, dict]:
    for name in sorted(set(names) - set(actors)):
        actors[name] = event_services.actor_create(author=author, message="Imported actor",
                                                   name=name, kind=names[name])
        summary.new_actors += 1
    for outlet in sorted(outlets - set(sources)):
        sources[outlet] = event_services.source_create(author=author, message="Imported source",
                                                       outlet=outlet, title=f"Reports cited by {CODER}")
        summary.new_sources += 1
    return actors, sources


def _development_fields(row: Row, actors: dict, sources: dict) -> dict:
    return {**row.development,
            "actors": sorted({actors[name].pk for name, _ in row.actors}),
            "sources": sorted({sources[outlet].pk for outlet in row.outlets})}


def _qualifier(low: int | None, best: int | None, high: int | None) -> str:
    if best is None and low is None and high is None:
        return Claim.Qualifier.UNSPECIFIED
    if best is None and high is None:
        return Claim.Qualifier.AT_LEAST
    if best is None and low is None:
        return Claim.Qualifier.AT_MOST
    return Claim.Qualifier.APPROXIMATELY


def _claim_fields(row: Row, coder_actor: Actor, sources: dict) -> dict:
    fields = {"actor": coder_actor, "made_on": row.made_on, "claim_type": Claim.Type.FIGURE,
              "figure_unit": "deaths", "figure_note": FIGURE_NOTE, **row.figure,
              "figure_qualifier": _qualifier(*(row.figure[name] for name in
                                               ("figure_low", "figure_best", "figure_high")))}
    # The one reader text reads attributes: a namespace spares building a model row per event.
    said = figure_text(SimpleNamespace(figure_group="", **fields))
    fields["paraphrase"] = (f"{CODER} gives no fatality figure for this event."
                            if fields["figure_qualifier"] == Claim.Qualifier.UNSPECIFIED
                            else f"{CODER} codes the event's fatalities as {said}.")
    return {**fields, "sources": sorted({sources[outlet].pk for outlet in row.outlets})}


# The row's columns each many-to-many set is read from (kept as given in external_data).
SET_COLUMNS = {"actors": ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2"), "sources": ("source",)}


def _changes(known, wanted: dict, names: tuple[str, ...], kept_before: dict, kept_now: dict) -> dict:
    """What differs between the stored item and the row. A set counts as changed when the
    columns it is read from changed: the names are kept, so no set needs reading to compare."""
    stored = known.values
    # Most values are equal as they are: only a difference is looked at again (a reference by id).
    changes = {name: wanted[name] for name in names
               if stored[name] != wanted[name] and stored[name] != _stored(wanted[name])}
    for name, columns in SET_COLUMNS.items():
        if name in wanted and any(kept_before.get(c) != kept_now.get(c) for c in columns):
            changes[name] = wanted[name]
    return changes


def _stored(value):
    # References compare by id: what the selector read is the stored id.
    return value.pk if isinstance(value, Actor) else value


def acled_import(
    *, author, story: Story, rows: Iterable[Row], file_name: str, deletions: list[str] | None = None,
    deletions_name: str = "", skip_bad: bool = False, progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Bring the story in line with an ACLED file (and deletion list); see the module's docstring.

    `rows` is read once, a batch of `BATCH_ROWS` at a time; each batch lands in a
    transaction of its own. A bad row (unless `skip_bad`, which imports the good
    rows and lists what it skipped), a value the record refuses, a conflicting
    edit or an unreadable stretch of the file stops the writing: the batches
    before it stay, the rest of the file is still read to list every problem,
    and `ImportStopped` carries the summary of what landed.
    """
    summary = ImportSummary()
    progress = progress or (lambda count: None)
    try:
        with collecting_less():
            for batch in in_batches(rows, BATCH_ROWS):
                _take(author, story, batch, file_name, summary, skip_bad, progress)
                collect_batch()
    except LayoutError as unreadable:
        summary.stopped = summary.stopped or str(unreadable)
    if summary.stopped or summary.problems:
        raise ImportStopped(summary)
    if deletions:
        _retract(author, story, deletions, deletions_name or file_name, summary)
    return summary


def _take(author, story: Story, batch: list[Row], file_name: str, summary: ImportSummary, skip_bad: bool,
          progress: Callable[[int], None]) -> None:
    """Check one batch and, while nothing has stopped the import, write it in its own transaction."""
    bad = [problem for row in batch for problem in row.problems]
    if bad and skip_bad:
        summary.skipped.extend(bad)
        batch = [row for row in batch if not row.problems]
    elif bad:
        summary.problems.extend(bad)
    if summary.problems or summary.stopped:
        return  # once stopped, rows are only checked: every problem in the file is listed
    try:
        with transaction.atomic():
            written = _write_batch(author, story, batch, file_name)
    except (ValidationError, StaleVersionError, IntegrityError) as refused:
        lines = f"{batch[0].line}–{batch[-1].line}" if batch else "?"
        reason = "; ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
        summary.stopped = f"The batch on lines {lines} was refused: {reason}"
        return
    summary.add(written)
    summary.landed_through = max(summary.landed_through, batch[-1].line if batch else 0)
    summary.batches += 1
    progress(len(batch))


def _write_batch(author, story: Story, rows: list[Row], file_name: str) -> ImportSummary:
    """One batch: its new names, new events and changed events (reading only what these rows name)."""
    written = ImportSummary()
    if not rows:
        return written
    existing = story_events(story, DEVELOPMENT_FIELDS, [row.external_id for row in rows])
    figures = coded_figures(story, CODER, CLAIM_FIELDS, [known.pk for known in existing.values()])
    names = _names_to_items(author, story, rows, file_name, written)
    _write_new(author, story, [row for row in rows if row.external_id not in existing], names, file_name,
               written)
    plan = _plan_updates([row for row in rows if row.external_id in existing], existing, figures,
                         names, written)
    _write_updates(author, story, plan, existing, figures, file_name, written)
    return written


def _write_new(author, story: Story, rows: list[Row], names: tuple, file_name: str,
               summary: ImportSummary) -> None:
    coder_actor, actors, sources = names
    if not rows:
        return
    message = f"Imported {file_name}, new events on lines {rows[0].line}–{rows[-1].line}"
    with event_services.story_revision(author=author, story=story, kind=Revision.Kind.CREATED,
                                       message=message) as revision:
        created = event_services.developments_create(
            author=author, story=story, message=message,
            rows=[_development_fields(row, actors, sources) for row in rows])
        claim_services.claims_create(
            author=author, story=story, message=message,
            rows=[{"development": d, **_claim_fields(row, coder_actor, sources)}
                  for d, row in zip(created, rows, strict=True)])
    summary.created += len(rows)
    summary.wrote(revision)


@dataclass
class UpdatePlan:
    edits: list[tuple[int, dict]]  # (development id, changes)
    claim_edits: list[tuple[int, dict]]  # (claim id, changes)
    new_claims: list[dict]  # figure claims of events that had none
    about: dict[int, int]  # claim id -> development id

    def changed(self) -> list[int]:
        return sorted({*(pk for pk, _ in self.edits), *(self.about[pk] for pk, _ in self.claim_edits),
                       *(c["development_id"] for c in self.new_claims)})


def _plan_updates(rows: list[Row], existing: dict, figures: dict, names: tuple,
                  summary: ImportSummary) -> UpdatePlan:
    coder_actor, actors, sources = names
    plan = UpdatePlan([], [], [], figures_by_id(figures))
    for row in rows:
        known = existing[row.external_id]
        before, now = known.values["external_data"] or {}, row.development["external_data"]
        changes = _changes(known, _development_fields(row, actors, sources), DEVELOPMENT_FIELDS,
                           before, now)
        claim = figures.get(known.pk)
        wanted_claim = _claim_fields(row, coder_actor, sources)
        claim_changes = _changes(claim, wanted_claim, CLAIM_FIELDS, before, now) if claim else {}
        if claim is None:
            plan.new_claims.append({"development_id": known.pk, **wanted_claim})
        elif claim_changes:
            plan.claim_edits.append((claim.pk, claim_changes))
        if changes:
            plan.edits.append((known.pk, changes))
        if changes or claim is None or claim_changes:
            summary.updated += 1
        else:
            summary.unchanged += 1
    return plan


def _based_on_compared(items: dict, known: dict[int, int]) -> None:
    # Each edit is based on the version compared: one saved since is a conflict.
    for item in items.values():
        if item.version != known[item.pk]:
            raise StaleVersionError(instance=item, base_version=known[item.pk])


def _write_updates(author, story: Story, plan: UpdatePlan, existing: dict, figures: dict,
                   file_name: str, summary: ImportSummary) -> None:
    ids = plan.changed()
    if not ids:
        return
    message = f"Updated from {file_name}: {len(ids)} changed event(s)"
    # Only the changed items are read as rows, to be written as their next versions.
    developments = Development.objects.in_bulk([pk for pk, _ in plan.edits])
    claims = Claim.objects.in_bulk([pk for pk, _ in plan.claim_edits])
    _based_on_compared(developments, {k.pk: k.version for k in existing.values()})
    _based_on_compared(claims, {k.pk: k.version for k in figures.values()})
    with event_services.story_revision(author=author, story=story, kind=Revision.Kind.UPDATE,
                                       message=message) as revision:
        event_services.developments_update(author=author, story=story, message=message,
                                           edits=[(developments[pk], c) for pk, c in plan.edits])
        claim_services.claims_update(author=author, story=story, message=message,
                                     edits=[(claims[pk], c) for pk, c in plan.claim_edits])
        claim_services.claims_create(author=author, story=story, message=message, rows=plan.new_claims)
    summary.wrote(revision)


def figures_by_id(figures: dict) -> dict[int, int]:
    """Claim id -> the development it is about, for the coded figures read by `coded_figures`."""
    return {known.pk: development_id for development_id, known in figures.items()}


def _retract(author, story: Story, deletions: list[str], file_name: str, summary: ImportSummary) -> None:
    """Retract the listed events and their coded figures, a batch per transaction (and revision)."""
    reason = f"Deleted from {CODER}'s record (deletion list {file_name})."
    for wanted in _batches(list(dict.fromkeys(deletions))):
        # Read now: this import may have just created some of them, or a new version of them.
        found = {d.external_id: d for d in Development.objects.filter(story=story, external_id__in=wanted)}
        summary.not_found += [external_id for external_id in wanted if external_id not in found]
        live = [found[i] for i in wanted if i in found and found[i].status != Development.Status.RETRACTED]
        if not live:
            continue
        known = coded_figures(story, CODER, development_ids=[d.pk for d in live])
        claims = Claim.objects.in_bulk([k.pk for k in known.values() if not k.retracted])
        with event_services.story_revision(author=author, story=story, kind=Revision.Kind.RETRACTION,
                                           message=reason) as revision:
            event_services.developments_retract(author=author, story=story, reason=reason,
                                                developments=live)
            claim_services.claims_retract(author=author, story=story, reason=reason,
                                          claims=list(claims.values()))
        summary.retracted += len(live)
        summary.wrote(revision)

"""The one digest builder: what changed in the stories during a window of revisions.

`build_window(after, upto, ...)` compares each item touched in the window
`(after, upto]` as it stood at revision `after` with how it stands at `upto`,
through record.diff, so several edits inside one window collapse into a single
before/after. Email, webhooks, the API and the admin preview all render the
structure it returns; `WindowCache` makes one run build each (window, filters)
once for every subscription that shares them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse

from archive.selectors import FLAGGED, citing_claims
from claims.models import Claim, has_figure
from claims.selectors import figure_key
from events.models import Briefing, Development, Source, Story
from reader.dates import occurred_text
from reader.links import claim_url, development_url, story_url
from reader.text import References, figure_text, value_text
from record.diff import FieldChange, diff_versions
from record.models import Revision
from record.registry import versioned_models
from record.selectors import version_prefetches, versions_as_of, versions_written_by
from tracker.site import absolute

CONTENT_VERSION = 1
SECTIONS = (
    "corrections", "retractions", "new_developments", "changed_developments",
    "new_claims", "verification_changes", "changed_claims", "changed_sources",
)


def story_models() -> list:
    """The versioned models whose items belong to a story: what a digest reports on."""
    return [model for model in versioned_models() if hasattr(model, "revision_story")]


def is_empty(content: dict) -> bool:
    return not content.get("stories")


def build_window(
    after: int, upto: int, *, story_ids: list[int] | None = None,
    kinds: list[str] | tuple[str, ...] = (), include_minor: bool = False,
) -> dict[str, Any]:
    """Structured "what changed" for revisions `(after, upto]`, per story.

    `story_ids`/`kinds` empty mean every story/kind. Minor revisions are left
    out unless `include_minor`: an item touched only by minor revisions is not
    reported (when it also had a real edit, its before/after shows both).
    """
    content: dict[str, Any] = {"version": CONTENT_VERSION, "after": after, "upto": upto,
                               "stories": []}
    if upto <= after:
        return content
    window = {"revision_id__gt": after, "revision_id__lte": upto}
    if not include_minor:
        window["revision__minor"] = False
    touched = {
        model: _touches(model, window) for model in story_models()
    }
    # Only the archive's capture revisions move a source's archive status.
    sources_touched = _touches(Source, {**window, "revision__kind": Revision.Kind.CAPTURE})
    if not any(touched.values()) and not sources_touched:
        return content
    revisions = {r["id"]: r for r in Revision.objects.filter(
        id__in={rid for items in [*touched.values(), sources_touched]
                for rids in items.values() for rid in rids}
    ).values("id", "kind", "message", "created_at")}

    claims_after = _as_of(Claim, upto, touched[Claim])
    claims_before = _as_of(Claim, after, touched[Claim])
    dev_ids = set(touched[Development]) | {row.development_id for row in claims_after.values()}
    devs_after = _as_of(Development, upto, dev_ids)
    devs_before = _as_of(Development, after, touched[Development])

    def wanted(dev) -> bool:
        return (not story_ids or dev.story_id in story_ids) and (not kinds or dev.kind in kinds)

    # A story's "What we know" reads as a change of the story itself.
    briefings_after = _as_of(Briefing, upto, touched[Briefing])
    briefings_before = _as_of(Briefing, after, touched[Briefing])
    briefing_of = {row.story_id: row for row in briefings_after.values()}

    story_pks = {d.story_id for d in devs_after.values() if wanted(d)}
    story_pks |= {pk for pk in touched[Story] if not story_ids or pk in story_ids}
    story_pks |= {pk for pk in briefing_of if not story_ids or pk in story_ids}
    flagged_sources = _flagged_sources(after, upto, sources_touched, story_ids, kinds)
    story_pks |= set(flagged_sources)
    stories_after = _as_of(Story, upto, story_pks)
    stories_before = _as_of(Story, after, {pk for pk in touched[Story] if pk in story_pks})
    names = _Names()
    sections: dict[int, dict[str, list]] = defaultdict(lambda: {name: [] for name in SECTIONS})

    for pk, row in sorted(devs_after.items(), key=lambda item: (item[1].occurred_at, item[0])):
        if pk not in touched[Development] or not wanted(row):
            continue
        story = stories_after[row.story_id]
        entry = _development_entry(row, devs_before.get(pk), story, touched[Development][pk],
                                   revisions, names)
        if entry is not None:
            sections[row.story_id][entry.pop("section")].append(entry)
    for pk, row in sorted(claims_after.items(), key=lambda item: (item[1].made_on, item[0])):
        dev = devs_after[row.development_id]
        if not wanted(dev):
            continue
        story = stories_after[dev.story_id]
        entry = _claim_entry(row, claims_before.get(pk), dev, story, touched[Claim][pk],
                             revisions, names)
        if entry is not None:
            sections[dev.story_id][entry.pop("section")].append(entry)

    for story_pk, entries in flagged_sources.items():
        for row, before, claims in entries:
            entry = _source_entry(row, before, claims, stories_after[story_pk],
                                  sources_touched[row.id], revisions, names)
            sections[story_pk]["changed_sources"].append(entry)

    for pk in sorted(story_pks, key=lambda pk: (stories_after[pk].title, pk)):
        story = stories_after[pk]
        story_changes = []
        if pk in touched[Story] and pk in stories_before:
            story_changes = _changes(stories_before[pk], story, names)
        if pk in briefing_of:
            story_changes += _briefing_changes(briefings_before, briefing_of[pk], names)
        body = sections.get(pk)
        if not story_changes and not (body and any(body.values())):
            continue
        content["stories"].append({
            "id": pk, "slug": story.slug, "title": story.title,
            "url": absolute(story_url(story.slug)),
            "changes": story_changes, **(body or {name: [] for name in SECTIONS}),
        })
    names.resolve()
    return content


class WindowCache:
    """Per-run memo: each (window, filter key) is built once and shared."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, int, str], dict] = {}
        self.builds = 0

    def content_for(self, subscription, *, after: int, upto: int) -> dict:
        story_ids = sorted(s.pk for s in subscription.stories.all())
        key = (after, upto, subscription.filter_key(story_ids))
        if key not in self._built:
            self.builds += 1
            self._built[key] = build_window(
                after, upto, story_ids=story_ids, kinds=list(subscription.kinds),
                include_minor=subscription.include_minor,
            )
        return self._built[key]


# --- items ------------------------------------------------------------------

def _touches(model, window: dict) -> dict[int, list[int]]:
    touched: dict[int, list[int]] = defaultdict(list)
    rows = versions_written_by(model, **window).values_list("id", "revision_id")
    for pk, revision_id in rows.order_by("revision_id"):
        if revision_id not in touched[pk]:
            touched[pk].append(revision_id)
    return dict(touched)


def _as_of(model, upto: int, ids) -> dict[int, Any]:
    if not ids or upto <= 0:
        return {}
    # Their many-to-many sets are read by the diff: one query per set, not per row.
    rows = versions_as_of(model, upto, id__in=list(ids)).prefetch_related(*version_prefetches(model))
    return {row.id: row for row in rows}


def _revision_list(revision_ids: list[int], revisions: dict) -> list[dict]:
    return [{"id": rid, "kind": revisions[rid]["kind"], "message": revisions[rid]["message"],
             "at": revisions[rid]["created_at"].isoformat()} for rid in revision_ids]


def _section(before, after_row, revision_list: list[dict], retracted: bool, was_retracted: bool,
             changed: str) -> str | None:
    if before is None:
        return "new"
    if retracted and not was_retracted:
        return "retractions"
    if any(r["kind"] == Revision.Kind.CORRECTION for r in revision_list):
        return "corrections"
    return changed


def _development_entry(row, before, story, revision_ids, revisions, names) -> dict | None:
    revision_list = _revision_list(revision_ids, revisions)
    section = _section(before, row, revision_list, row.status == Development.Status.RETRACTED,
                       before is not None and before.status == Development.Status.RETRACTED,
                       "changed_developments")
    changes = [] if before is None else _changes(before, row, names)
    if before is not None and not changes:
        return None  # edited and edited back inside the window: nothing to report
    page = development_url(story.slug, row.id)
    entry = {
        "section": "new_developments" if section == "new" else section,
        "item": "development", "id": row.id, "title": row.title, "kind": row.kind,
        "kind_label": Development.Kind(row.kind).label, "summary": row.summary,
        "occurred_at": row.occurred_at.isoformat(),
        "occurred": occurred_text(row),
        "location": row.location, "status": row.status,
        "retraction_reason": row.retraction_reason, "url": absolute(page),
        "from_version": before.version if before is not None else None,
        "to_version": row.version, "diff_url": None, "correction": section == "corrections",
        "changes": changes, "revisions": revision_list,
    }
    if before is not None:
        diff = reverse("pages:development_diff", args=[story.slug, row.id])
        entry["diff_url"] = absolute(f"{diff}?from={before.version}&to={row.version}")
    return entry


def _claim_entry(row, before, dev, story, revision_ids, revisions, names) -> dict | None:
    revision_list = _revision_list(revision_ids, revisions)
    verification_changed = before is not None and before.verification != row.verification
    section = _section(before, row, revision_list, row.retracted,
                       before is not None and before.retracted,
                       "verification_changes" if verification_changed else "changed_claims")
    changes = [] if before is None else _changes(before, row, names)
    if before is not None and not changes:
        return None
    entry = {
        "section": "new_claims" if section == "new" else section,
        "item": "claim", "id": row.id, "development_id": dev.id, "development_title": dev.title,
        "actor_id": row.actor_id, "actor": "", "made_on": row.made_on.isoformat(),
        "claim_type": row.claim_type, "paraphrase": row.paraphrase, "quote": row.quote,
        "figure": figure_text(row), "verification": row.verification,
        "verification_label": Claim.Verification(row.verification).label,
        "verification_before": before.verification if before is not None else None,
        "verification_note": row.verification_note, "retraction_reason": row.retraction_reason,
        "url": absolute(claim_url(story.slug, dev.id, row.id)),
        # How the numbers moved: the figure's chart (server-rendered SVG), for email readers too.
        "chart_url": absolute(reverse("pages:figure_chart", args=[
            story.slug, dev.id, figure_key(row.figure_unit, row.figure_group)])) if has_figure(row) else None,
        "from_version": before.version if before is not None else None,
        "to_version": row.version, "correction": section == "corrections",
        "changes": changes, "revisions": revision_list,
    }
    names.claims.append(entry)
    return entry


def _flagged_sources(after: int, upto: int, touched: dict, story_ids, kinds) -> dict[int, list]:
    """{story id: [(source as of upto, as of after, the claims citing it in that story)]} for the
    sources the window found changed or gone since cited (the archive's capture revisions)."""
    rows_after = _as_of(Source, upto, touched)
    rows_before = _as_of(Source, after, touched)
    flagged = {pk: row for pk, row in rows_after.items() if row.archive_status in FLAGGED
               and getattr(rows_before.get(pk), "archive_status", None) != row.archive_status}
    by_story: dict[int, dict[int, list]] = defaultdict(dict)
    for source_id, claims in citing_claims(flagged).items():
        for claim in claims:
            development = claim.development
            if story_ids and development.story_id not in story_ids:
                continue
            if kinds and development.kind not in kinds:
                continue
            by_story[development.story_id].setdefault(source_id, []).append(claim)
    return {story_id: [(flagged[pk], rows_before.get(pk), claims) for pk, claims in
                       sorted(sources.items())] for story_id, sources in by_story.items()}


def _source_entry(row, before, claims, story, revision_ids, revisions, names) -> dict:
    return {
        "item": "source", "id": row.id, "outlet": row.outlet, "title": row.title, "url": row.url,
        "archive_status": row.archive_status,
        "archive_status_label": Source.ArchiveStatus(row.archive_status).label,
        "archived_at": row.archived_at.isoformat() if row.archived_at else None,
        "archive_url": absolute(reverse("pages:source_archive", args=[row.id])) if row.archived_at else None,
        "claims": [{"id": claim.id, "paraphrase": claim.paraphrase,
                    "url": absolute(claim_url(story.slug, claim.development_id, claim.id))}
                   for claim in claims],
        "from_version": before.version if before is not None else None, "to_version": row.version,
        "correction": False, "changes": _changes(before, row, names) if before is not None else [],
        "revisions": _revision_list(revision_ids, revisions),
    }


def _changes(before, after_row, names) -> list[dict]:
    model = after_row.instance_type
    changes = []
    for change in diff_versions(before, after_row):
        data = change.as_dict()
        names.add(model, change, data)
        changes.append(data)
    return changes


def _briefing_changes(before: dict, row, names) -> list[dict]:
    """A "What we know" change as one of its story's changes (field `what_we_know`)."""
    changes = []
    for change in diff_versions(before.get(row.id), row):
        if change.field == "text":
            data = {**change.as_dict(), "field": "what_we_know"}
            names.add(Briefing, change, data)
            changes.append(data)
    return changes


class _Names:
    """Reader text for the window's changes and its claims' actors (reader.text),
    with every reference resolved in one query per model once the whole window is known."""

    def __init__(self) -> None:
        self.changes: list[tuple[type, FieldChange, dict]] = []
        self.claims: list[dict] = []

    def add(self, model: type, change: FieldChange, data: dict) -> None:
        self.changes.append((model, change, data))

    def resolve(self) -> None:
        references = References([
            *((model, change.field, value) for model, change, _ in self.changes
              for value in (change.before, change.after)),
            *((Claim, "actor", entry["actor_id"]) for entry in self.claims),
        ])
        for model, change, data in self.changes:
            data["before_text"] = value_text(model, change.field, change.before, references)
            data["after_text"] = value_text(model, change.field, change.after, references)
        for entry in self.claims:
            entry["actor"] = value_text(Claim, "actor", entry["actor_id"], references)

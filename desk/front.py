"""The desk's front page: what waits for the editor, what just happened, what needs attention.

Reads only, each a fixed number of queries however many drafts, revisions,
versions and sources there are (tests/desk/test_front_page.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window
from django.urls import reverse

from archive.selectors import ArchiveState, archive_state, cited_sources, with_checked_at
from drafts.models import Draft, DraftEvent
from drafts.services import is_reviewer
from events.models import Source
from record.models import Revision
from record.registry import versioned_models
from record.selectors import versions_written_by

SHOWN = 10  # rows of each list; the counts say how many there are in all
ATTENTION = (Source.ArchiveStatus.CHANGED, Source.ArchiveStatus.GONE)


@dataclass
class Listed:
    """A list on the front page: its first rows, how many in all, and where the whole list is."""

    rows: list
    count: int
    url: str


@dataclass
class RecentRevision:
    revision: Revision
    item_label: str = ""
    diff_url: str | None = None
    more_items: int = 0


@dataclass
class FrontPage:
    to_review: Listed | None  # None: the editor is no reviewer
    sent_back: Listed
    scheduled: Listed
    blocked: Listed
    revisions: list[RecentRevision] = field(default_factory=list)
    attention: Listed | None = None


def _drafts_url(**filters: str) -> str:
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{reverse('admin:drafts_draft_changelist')}?{query}" if query else \
        reverse("admin:drafts_draft_changelist")


def _listed(rows: QuerySet, url: str) -> Listed:
    # One query: the rows shown, each carrying the total (a window count over every row).
    found = list(rows.annotate(total=Window(Count("pk")))[:SHOWN])
    return Listed(rows=found, count=found[0].total if found else 0, url=url)


def my_drafts(user) -> dict[str, Listed | None]:
    """Drafts that wait for `user`: to review (reviewers), sent back, scheduled, blocked."""
    drafts = Draft.objects.select_related("author", "story").order_by("-updated_at", "-id")
    mine = Q(author=user) | Q(scheduled_by=user)
    last = DraftEvent.objects.filter(draft=OuterRef("pk")).order_by("-at", "-id")
    sent_back = (drafts.filter(author=user, state=Draft.State.DRAFT)
                 .annotate(last_action=Subquery(last.values("action")[:1]),
                           last_comment=Subquery(last.values("comment")[:1]),
                           sent_back_by=Subquery(last.values("actor__username")[:1]))
                 .filter(last_action=DraftEvent.Action.SENT_BACK))
    return {
        "to_review": _listed(drafts.filter(state=Draft.State.SUBMITTED).exclude(author=user),
                             _drafts_url(state__exact="submitted")) if is_reviewer(user) else None,
        "sent_back": _listed(sent_back, _drafts_url(state__exact="draft", author__id__exact=str(user.pk))),
        "scheduled": _listed(drafts.filter(mine, publish_at__isnull=False, state__in=Draft.OPEN_STATES)
                             .order_by("publish_at", "id"), _drafts_url(author__id__exact=str(user.pk))),
        "blocked": _listed(drafts.filter(mine, state=Draft.State.BLOCKED),
                           _drafts_url(state__exact="blocked")),
    }


def _label(row) -> str:
    for name in ("title", "paraphrase", "name", "text", "outlet"):
        value = getattr(row, name, "")
        if value:
            return str(value)[:90]
    return f"#{row.id}"


def recent_revisions(limit: int = SHOWN) -> list[RecentRevision]:
    """The latest editors' revisions (captures left out), each with the first item it wrote and its diff.

    One query for the revisions, then one per versioned model for what they wrote.
    """
    revisions = list(Revision.objects.exclude(kind=Revision.Kind.CAPTURE).select_related("author")
                     .order_by("-id")[:limit])
    recent = {revision.pk: RecentRevision(revision) for revision in revisions}
    for model in versioned_models():
        opts = model._meta
        for row in versions_written_by(model, revision_id__in=list(recent)).order_by("history_id"):
            entry = recent[row.revision_id]
            if entry.diff_url is not None:
                entry.more_items += 1
                continue
            entry.item_label = f"{opts.verbose_name.capitalize()}: {_label(row)}"
            diff = reverse(f"admin:{opts.app_label}_{opts.model_name}_diff", args=[row.id])
            entry.diff_url = f"{diff}?from={max(row.version - 1, 1)}&to={row.version}"
    return list(recent.values())


def sources_needing_attention() -> Listed:
    """Cited sources whose archived copy changed or went gone, or whose capture failed."""
    sources = (with_checked_at(cited_sources())
               .filter(Q(archive_status__in=ATTENTION) | Q(archive_status="", checked_at__isnull=False))
               .order_by("-checked_at", "-id"))
    listed = _listed(sources, reverse("admin:events_source_changelist"))
    listed.rows = [(source, archive_state(source)) for source in listed.rows]
    return listed


def attention_text(state: ArchiveState) -> str:
    return state.flag_text or ("capture failed" if state.status == "failed" else state.status)


def front_page(user) -> FrontPage:
    return FrontPage(**my_drafts(user), revisions=recent_revisions(),
                     attention=sources_needing_attention())

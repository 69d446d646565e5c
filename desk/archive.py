"""What the desk shows of the archive: a source's archived copy and captures, claims' source flags."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from archive import selectors as archive_selectors
from claims.models import Claim
from events.models import Source


def with_source_flags(claims: QuerySet) -> QuerySet:
    """Claims annotated with whether a source they cite changed or went away since cited (no extra query)."""
    cited = Claim.sources.through.objects.filter(claim_id=OuterRef("pk"))
    return claims.annotate(
        source_changed=Exists(cited.filter(source__archive_status=Source.ArchiveStatus.CHANGED)),
        source_gone=Exists(cited.filter(source__archive_status=Source.ArchiveStatus.GONE)),
    )


def flag_text(claim: Claim) -> str:
    if getattr(claim, "source_gone", False):
        return "source gone since cited"
    if getattr(claim, "source_changed", False):
        return "source changed since cited"
    return ""


def archive_summary(source: Source) -> str:
    if not source.archived_at:
        return "not archived yet" if source.url else "no URL"
    status = Source.ArchiveStatus(source.archive_status).label.lower()
    return format_html('<a href="{}">archived {} UTC</a> ({}; SHA-256 {})',
                       reverse("pages:source_archive", args=[source.pk]),
                       f"{source.archived_at:%Y-%m-%d %H:%M}", status, source.archive_sha256[:16] + "…")


def capture_table(source: Source) -> str:
    captures = archive_selectors.captures_of(source.pk) if source.pk else []
    if not captures:
        return "none"
    rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
        (f"{c.captured_at:%Y-%m-%d %H:%M}", c.get_outcome_display(), c.status_code or "", c.error[:200])
        for c in captures))
    return format_html("<table><tr><th>when</th><th>outcome</th><th>HTTP</th><th>note</th></tr>{}</table>",
                       rows)

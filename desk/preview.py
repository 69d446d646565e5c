"""A draft's preview: its proposed development or claim in the public page's own layout (editors only).

Reads the draft and the item's current row, builds the item as it would read once
published (validated, never saved) and hands it to pages.preview; nothing is written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.models import Claim
from drafts.errors import DraftInvalid
from drafts.models import Draft
from drafts.proposal import candidate, item_model, service_values
from drafts.selectors import draft_item
from events.models import Development
from pages.preview import claim_preview, development_preview
from record.models import Revision

PREVIEWED = (Development, Claim)  # the items with a public page of their own


def can_preview(draft: Draft) -> bool:
    return item_model(draft.item_type) in PREVIEWED


def _retracted(item, reason: str) -> None:
    """A retraction proposes no values: the preview shows the item as withdrawn, with the reason."""
    if isinstance(item, Development):
        item.status, item.retraction_reason = Development.Status.RETRACTED, reason
    else:
        item.retracted, item.retraction_reason = True, reason


def draft_preview(request: HttpRequest, draft: Draft, admin_context: dict) -> HttpResponse:
    model, current = item_model(draft.item_type), draft_item(draft)
    try:
        item = candidate(model, current, draft.fields)
        sets = {name: value for name, value in service_values(model, draft.fields).items()
                if model._meta.get_field(name).many_to_many}
    except (ValidationError, DraftInvalid) as invalid:
        text = "; ".join(invalid.messages) if isinstance(invalid, ValidationError) else str(invalid)
        return TemplateResponse(request, "admin/desk/preview_refused.html", {
            **admin_context, "draft": draft, "title": f"No preview of draft {draft.pk}",
            "reason": text}, status=400)
    if draft.kind == Revision.Kind.RETRACTION:
        _retracted(item, draft.message)

    def current_set(name: str) -> list:
        return sets[name] if name in sets else (list(getattr(current, name).all()) if current else [])

    banner = f"Preview of draft {draft.pk} — not published."
    back_url = reverse("admin:drafts_draft_change", args=[draft.pk])
    if model is Development:
        return development_preview(request, item, actors=current_set("actors"),
                                   sources=current_set("sources"), banner=banner, back_url=back_url)
    return claim_preview(request, item, sources=current_set("sources"), banner=banner, back_url=back_url)

"""Reads of drafts: what a draft would change (the one diff), and what changed since it was written."""

from __future__ import annotations

from record.diff import FieldChange, content_of, diff_values, field_meta
from record.models import Versioned
from record.selectors import item_versions

from .models import Draft
from .proposal import content_values, item_model


def draft_item(draft: Draft) -> Versioned | None:
    """The current row the draft edits (None for a new item)."""
    if draft.item_id is None:
        return None
    return item_model(draft.item_type).objects.filter(pk=draft.item_id).first()


def draft_diff(draft: Draft, item: Versioned | None = None) -> tuple[type[Versioned], list[FieldChange]]:
    """The draft as the one diff against the item's current version: (the item's model, its changes).

    Raw values, as record.diff gives them: a surface reads them as reader text
    (`reader.text.reader_changes(*draft_diff(...))`). A retraction proposes no
    field values: its message is the reason shown.
    """
    model = item_model(draft.item_type)
    item = item if item is not None else draft_item(draft)
    before = None
    if item is not None:
        current = item_versions(model, item.pk, with_sets=True).filter(version=item.version).first()
        before = content_of(current) if current is not None else None
    proposed = content_values(model, draft.fields)
    after = proposed if before is None else {**before, **proposed}
    labels, texts = field_meta(model)
    return model, diff_values(before, after, labels=labels, text_fields=texts)


def is_stale(draft: Draft, item: Versioned | None) -> bool:
    """Written against a version that is no longer the current one."""
    return item is not None and draft.state in Draft.OPEN_STATES and item.version != draft.base_version

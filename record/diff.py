"""The one diff: field-level changes between two versions, word-level for text.

Pages, the API, the change feed, digests, email and webhooks all call
`diff_versions` (or `diff_values` for already-loaded content).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from django.db import models

from .fields import tracked_fields
from .selectors import version_values

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)

Op = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class WordChange:
    op: Op
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any
    words: tuple[WordChange, ...] | None = None  # for text fields

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "before": _jsonable(self.before),
            "after": _jsonable(self.after),
            "words": [w.as_dict() for w in self.words] if self.words is not None else None,
        }


def word_diff(before: str, after: str) -> tuple[WordChange, ...]:
    """Word-level edit script from `before` to `after`; joining the non-deleted
    parts gives `after`, joining the non-inserted parts gives `before`."""
    old, new = _TOKEN.findall(before or ""), _TOKEN.findall(after or "")
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changes: list[WordChange] = []

    def add(op: Op, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if changes and changes[-1].op == op:
            changes[-1] = WordChange(op, changes[-1].text + text)
        else:
            changes.append(WordChange(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", old[i1:i2])
        else:
            add("delete", old[i1:i2])
            add("insert", new[j1:j2])
    return tuple(changes)


def diff_values(
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    labels: dict[str, str] | None = None,
    text_fields: frozenset[str] | set[str] = frozenset(),
) -> list[FieldChange]:
    """Field changes from `before` (None: the item is new) to `after`, in `after`'s order."""
    labels = labels or {}
    changes = []
    for name, new in after.items():
        old = None if before is None else before.get(name)
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", []):
            continue
        words = None
        if name in text_fields and (isinstance(old, str) or old is None) and isinstance(new, str):
            words = word_diff(old or "", new)
        changes.append(FieldChange(name, labels.get(name, name), old, new, words))
    return changes


def content_of(version_row) -> dict[str, Any]:
    """A version's tracked content keyed by field name (foreign keys as ids)."""
    values = version_values(version_row)
    return {name.removesuffix("_id") if name.endswith("_id") else name: value
            for name, value in values.items()}


def field_meta(model: type[models.Model]) -> tuple[dict[str, str], set[str]]:
    labels, texts = {}, set()
    for field in tracked_fields(model):
        labels[field.name] = str(field.verbose_name).capitalize()
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            texts.add(field.name)
    return labels, texts


def diff_versions(older, newer) -> list[FieldChange]:
    """What changed from version row `older` (None for a creation) to `newer`."""
    labels, texts = field_meta(newer.instance_type)
    before = content_of(older) if older is not None else None
    return diff_values(before, content_of(newer), labels=labels, text_fields=texts)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value

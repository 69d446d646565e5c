"""One save of an item with the rows edited beside it (a development and its claims): one revision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError

from record.models import Revision, Versioned
from record.registry import item_services

from .editing import story_of, story_revision

NOTHING_CHANGED = "Nothing changed: no new version was recorded."


@dataclass(frozen=True)
class RowChange:
    """A row saved with its item: new (`item` None), edited from `base_version`, or retracted.

    A new row names the item it belongs to by `parent`, its services' keyword
    for it ("development" for a new claim of a development).
    """

    model: type[Versioned]
    values: dict[str, Any] = field(default_factory=dict)
    item: Versioned | None = None
    base_version: int | None = None
    parent: str | None = None
    retract: bool = False


def _story_of_new(model: type[Versioned], values: dict[str, Any]):
    plain = {name: value for name, value in values.items()
             if not model._meta.get_field(name).many_to_many}
    try:
        story = story_of(model(**plain))
    except ObjectDoesNotExist:  # validation will name what is missing
        return None
    return story if story is not None and story.pk else None


def _write_row(row: RowChange, *, author, saved: Versioned, message: str, kind: str) -> bool:
    services = item_services(row.model)
    if row.retract:
        services.retract(author=author, **{services.arg: row.item}, base_version=row.base_version,
                         reason=message)
    elif row.item is None:
        parent = {row.parent: saved} if row.parent else {}
        services.create(author=author, message=message, **parent, **row.values)
    elif row.values:
        # A created item's rows join its revision as edits of their own.
        services.update(author=author, **{services.arg: row.item}, message=message,
                        changes=row.values, base_version=row.base_version,
                        kind=kind if kind != Revision.Kind.CREATED else Revision.Kind.UPDATE)
    else:
        return False
    return True


def item_save(
    *, author, model: type[Versioned], values: dict[str, Any], message: str,
    item: Versioned | None = None, base_version: int | None = None, kind: str = Revision.Kind.UPDATE,
    minor: bool = False, rows: Sequence[RowChange] = (),
) -> Versioned:
    """Create (`item` None) or edit an item and the rows saved with it, in ONE revision.

    `values` are the item's fields (all of them to create it, the changed ones
    to edit it, based on `base_version`). A save that changes nothing is
    refused (ValidationError); a stale base version of the item or of any row
    raises StaleVersionError and nothing is written.
    """
    services = item_services(model)
    creating = item is None
    if not creating and not values and not rows:
        raise ValidationError(NOTHING_CHANGED)
    if not rows:  # the item's own service opens (and names) its revision
        if creating:
            return services.create(author=author, message=message, **values)
        return services.update(author=author, **{services.arg: item}, message=message, changes=values,
                               base_version=base_version, kind=kind, minor=minor)
    kind = Revision.Kind.CREATED if creating else kind
    story = _story_of_new(model, values) if creating else story_of(item)
    with story_revision(author=author, message=message, kind=kind, minor=minor, story=story):
        if creating:
            saved = services.create(author=author, message=message, **values)
        elif values:
            saved = services.update(author=author, **{services.arg: item}, message=message,
                                    changes=values, base_version=base_version, kind=kind, minor=minor)
        else:
            saved = item
        wrote = [_write_row(row, author=author, saved=saved, message=message, kind=kind) for row in rows]
        if saved is item and not any(wrote):
            raise ValidationError(NOTHING_CHANGED)
    return saved

"""Which fields of a versioned model are its content: what versions hold, compare and log."""

from __future__ import annotations

from django.db import models


def tracked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields an editor changes: what versions are compared on."""
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.auto_created
        and field.name != "version"
        and (field.editable or field.many_to_many)
    ]

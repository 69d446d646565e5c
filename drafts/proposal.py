"""A draft's proposed values: checked against the item's model, stored as JSON, read back for the services.

Item types are the models whose domain registered their services (record.registry),
named by label; no second list of them is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from events.editing import ItemServices
from record.models import Versioned
from record.registry import item_services, models_with_services
from record.versioning import tracked_fields

from .errors import DraftInvalid


def item_types() -> dict[str, type[Versioned]]:
    """{label: model} of every item a draft may propose a change to."""
    return {model._meta.label_lower: model for model in models_with_services()}


def item_model(item_type: str) -> type[Versioned]:
    model = item_types().get(item_type)
    if model is None:
        raise DraftInvalid(f"No item type {item_type!r}: use one of {', '.join(sorted(item_types()))}.")
    return model


def services_of(model: type[Versioned]) -> ItemServices:
    return item_services(model)


def _field(model: type[Versioned], name: str, *, creating: bool) -> models.Field:
    fields = {field.name: field for field in tracked_fields(model)}
    field = fields.get(name)
    if field is None:
        raise DraftInvalid(f"A {model._meta.verbose_name} has no field {name!r} an editor writes.")
    if not creating and name in getattr(model, "FIXED_FIELDS", ()):
        raise DraftInvalid(f"A {model._meta.verbose_name} cannot move to another {field.verbose_name}.")
    return field


def _json_value(field: models.Field, value: Any) -> Any:
    if field.many_to_many:
        return sorted(item.pk if isinstance(item, models.Model) else int(item) for item in value or [])
    if field.is_relation:
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def to_json(model: type[Versioned], values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Python values (as a serializer or form gives them) as a draft stores them."""
    return {name: _json_value(_field(model, name, creating=creating), value)
            for name, value in values.items()}


def content_values(model: type[Versioned], stored: dict[str, Any]) -> dict[str, Any]:
    """Stored values in the shape record.diff.content_of gives a version: references as ids."""
    values = {}
    for name, raw in stored.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(int(pk) for pk in raw or [])
        elif field.is_relation:
            values[name] = None if raw in (None, "") else int(raw)
        else:
            try:
                values[name] = field.to_python(raw)
            except ValidationError as invalid:
                raise ValidationError({name: invalid.messages}) from None
    return values


def service_values(model: type[Versioned], stored: dict[str, Any]) -> dict[str, Any]:
    """Stored values as the item's services take them: references as the items they name."""
    values = content_values(model, stored)
    for name, value in list(values.items()):
        field = model._meta.get_field(name)
        if not field.is_relation or value is None:
            continue
        related = field.related_model._default_manager
        found = related.in_bulk(value if field.many_to_many else [value])
        missing = set(value if field.many_to_many else [value]) - set(found)
        if missing:
            raise ValidationError({name: f"No {field.related_model._meta.verbose_name} "
                                         f"with id {', '.join(map(str, sorted(missing)))}."})
        values[name] = [found[pk] for pk in value] if field.many_to_many else found[value]
    return values


def candidate(model: type[Versioned], current: Versioned | None, stored: dict[str, Any]) -> Versioned:
    """The item as it would read once published (validated; nothing is saved)."""
    values = service_values(model, stored)
    plain = {name: value for name, value in values.items()
             if not model._meta.get_field(name).many_to_many}
    if current is None:
        instance = model(**plain)
    else:
        instance = model.objects.get(pk=current.pk)
        for name, value in plain.items():
            setattr(instance, name, value)
    instance.full_clean(exclude=["version"])
    return instance


def fingerprint(draft) -> str:
    """What a reviewer approved: any change to the proposal makes a different print."""
    proposal = {"item_type": draft.item_type, "item_id": draft.item_id,
                "base_version": draft.base_version, "fields": draft.fields,
                "message": draft.message, "kind": draft.kind, "minor": draft.minor}
    return hashlib.sha256(json.dumps(proposal, sort_keys=True, default=str).encode()).hexdigest()

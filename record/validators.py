"""Text the tracker refuses to store: control characters that no page can show."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 controls except tab, newline and carriage return. HTML forbids them
# (the Nu checker: "Forbidden code point"), XML 1.0 forbids most of them, and no
# editor means them; NUL is refused earlier still, by the parsers and middleware.
CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def refuse_control_characters(value) -> None:
    """Raise a ValidationError naming the first control character in `value`."""
    if not isinstance(value, str):
        return
    found = CONTROL_CHARACTERS.search(value)
    if found:
        raise ValidationError(
            "Remove the control character %(code)s from this text.",
            code="control_character", params={"code": f"U+{ord(found.group()):04X}"},
        )


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's free-text columns (CharField covers slugs, URLs, emails too)."""
    return [field for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)]


def control_character_errors(instance: models.Model, exclude=()) -> dict[str, list[ValidationError]]:
    """Field name → the refusal, for each text field of `instance` that holds a control character."""
    errors = {}
    for field in text_fields(type(instance)):
        if field.name in exclude:
            continue
        try:
            refuse_control_characters(getattr(instance, field.attname))
        except ValidationError as refused:
            errors[field.name] = refused.error_list
    return errors

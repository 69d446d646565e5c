"""Reads behind data in and out: a story's imported events, their coded figures, rows to export."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from claims.models import Claim
from events.models import Development, Story


@dataclass
class Known:
    """What the tracker holds of an imported item, as plain values (no model row is built)."""

    pk: int
    version: int
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def story_events(story: Story, fields: tuple[str, ...], external_ids: list[str] | None = None
                 ) -> dict[str, Known]:
    """The story's imported developments by external id (only `external_ids`'), with `fields` (one query)."""
    names = ("id", "version", "external_id", "status", *fields)
    # Looked up by external id: no order wanted (the model's would sort every row).
    found = Development.objects.filter(story=story).exclude(external_id="").order_by()
    if external_ids is not None:
        found = found.filter(external_id__in=external_ids)
    found = found.values_list(*names)
    rows = map(functools.partial(_as_dict, names), found)
    return {row["external_id"]: Known(row["id"], row["version"], row) for row in rows}


def _as_dict(names: tuple[str, ...], values: tuple) -> dict[str, Any]:
    # values_list and a zip: a re-import reads every imported event, and Django's
    # values() builds each dict in Python, key by key.
    return dict(zip(names, values, strict=True))


def coded_figures(story: Story, coder_name: str, fields: tuple[str, ...] = (),
                  development_ids: list[int] | None = None) -> dict[int, Known]:
    """Development id -> the coding organisation's figure claim about it (about those of
    `development_ids`), with `fields` (one query)."""
    names = ("id", "version", "development_id", "retracted", "figure_low", "figure_best", "figure_high",
             *fields)
    if development_ids is None:
        rows = Claim.objects.filter(development__story=story, actor__name=coder_name)
    else:
        # A batch's events: looked up by them alone, the coder compared here, so the plan never
        # starts from the coder's claims in every story (its table grows with every import).
        rows = Claim.objects.filter(development_id__in=development_ids)
    rows = rows.filter(claim_type=Claim.Type.FIGURE).order_by("id").values_list(*names, "actor__name")
    found: dict[int, Known] = {}
    for *values, actor_name in rows:
        if actor_name == coder_name:
            row = _as_dict(names, tuple(values))
            found.setdefault(row["development_id"], Known(row["id"], row["version"], row))
    return found


def export_developments(story: Story) -> list[Development]:
    """The story's developments in timeline order, for an export (retracted ones are deleted there)."""
    return list(Development.objects.filter(story=story).exclude(status=Development.Status.RETRACTED)
                .order_by("occurred_at", "id"))

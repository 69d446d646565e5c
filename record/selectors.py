"""Generic reads of the revision log: versions of any item, "as of" cursors, latest revision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery

from .fields import tracked_fields
from .models import LogLeaf, Revision


def history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def version_get(model: type[models.Model], *, pk: int, version: int):
    """One version of an item, by its per-item number (1, 2, ...)."""
    return history_model(model).objects.select_related("revision").get(id=pk, version=version)


def version_values(version_row) -> dict[str, Any]:
    """The editable content of a version, ready to write back (restore) or compare (diff)."""
    model = version_row.instance_type
    values: dict[str, Any] = {}
    for field in tracked_fields(model):
        if field.many_to_many:
            values[field.name] = sorted(
                getattr(row, field.m2m_reverse_field_name() + "_id")
                for row in getattr(version_row, version_m2m_accessor(field)).all()
            )
        else:
            values[field.attname] = getattr(version_row, field.attname)
    return values


def version_m2m_accessor(field: models.ManyToManyField) -> str:
    """The name under which a version's many-to-many rows can be prefetched.

    `version_row.<field name>` is simple-history's manager, which cannot be
    prefetched; the reverse relation of the same rows can.
    """
    m2m_history = getattr(history_model(field.model), field.name).model
    return m2m_history._meta.get_field("history").remote_field.get_accessor_name()


def version_prefetches(model: type[models.Model]) -> list[str]:
    """prefetch_related() arguments that load versions' many-to-many sets in one query each."""
    return [version_m2m_accessor(field) for field in model._meta.many_to_many]


def item_versions(model: type[models.Model], pk: int, *, with_sets: bool = False) -> models.QuerySet:
    """Every version of one item, oldest first, with its revision and author.

    `with_sets` also loads the versions' many-to-many sets, one query per set
    however many versions: for whoever reads their content (diff, restore, a
    serializer), which would otherwise cost a query per version and set.
    """
    versions = (
        history_model(model).objects.filter(id=pk)
        .select_related("revision", "revision__author")
        .order_by("version")
    )
    return versions.prefetch_related(*version_prefetches(model)) if with_sets else versions


def revision_at(moment: dt.datetime) -> int | None:
    """The last revision made at or before `moment`: the cursor of an "as of" view."""
    return (
        Revision.objects.filter(created_at__lte=moment)
        .order_by("-id").values_list("id", flat=True).first()
    )


def latest_revision_id() -> int:
    return Revision.objects.order_by("-id").values_list("id", flat=True).first() or 0


def versions_as_of(model: type[models.Model], upto: int, **filters: Any) -> models.QuerySet:
    """Each item's latest version written by revision `upto` or earlier.

    Driven from the current rows (items are never deleted, and the filters used
    here are on references that never change: a development's story, a claim's
    development), with one (id, revision_id) index probe per item, so the cost
    follows the number of items shown, not the depth of their history.
    """
    history = history_model(model)
    latest = (
        history.objects.filter(id=OuterRef("pk"), revision_id__lte=upto)
        .order_by("-revision_id").values("history_id")[:1]
    )
    version_ids = model.objects.filter(**filters).annotate(v=Subquery(latest)).values("v")
    return history.objects.filter(history_id__in=version_ids, **filters)


def versions_written_by(model: type[models.Model], **lookups: Any) -> models.QuerySet:
    """The versions of `model` written by the revisions that `lookups` name.

    Lookups name revisions by id (`revision_id__in=ids`, or `revision_id__gt=after,
    revision_id__lte=upto`), optionally narrowed by the versions' own fields: the
    one way every reader (change feed, changelog, digests, log) asks "what did
    these revisions write".
    """
    if not any(name.startswith("revision") for name in lookups):
        raise ValueError("Name the revisions: e.g. revision_id__in=[...] or revision_id__gt=...")
    return history_model(model).objects.filter(**lookups)



def leaf_indexes(revision_ids) -> dict[int, int]:
    """{revision id: its leaf index in the public log} for the revisions that have one."""
    return dict(LogLeaf.objects.filter(revision_id__in=list(revision_ids))
                .values_list("revision_id", "index"))

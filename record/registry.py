"""The one registry of versioned models: every `Versioned` subclass that Django knows.

No module lists the versioned models by hand; the append-only triggers, the
change feed, the log, the API's version endpoints, the editors' permissions
and the digest builder all ask here.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.db import models

from .models import LogCheckpoint, LogLeaf, LogNode, LogTile, Revision, RevisionLink, Versioned


def _depends_on(model: type[models.Model], others: set) -> set:
    targets = set()
    for field in model._meta.get_fields():
        related = field.related_model if field.concrete and field.is_relation else None
        if related in others and related is not model:
            targets.add(related)
    return targets


@functools.cache
def _versioned_in_order() -> tuple[type[Versioned], ...]:
    # Once per process: the models never change after start-up, and the change
    # feed, the log and the builder ask on every read.
    found = [model for model in apps.get_models() if issubclass(model, Versioned)]
    pending, ordered = list(found), []
    while pending:
        ready = [m for m in pending if not (_depends_on(m, set(found)) - set(ordered))]
        if not ready:  # a cycle between versioned models: keep the remaining order
            ready = pending[:1]
        ordered.extend(ready)
        pending = [m for m in pending if m not in ready]
    return tuple(ordered)


def versioned_models() -> list[type[Versioned]]:
    """Versioned models, each after the versioned models it points to.

    That order is the log's replay order inside one revision (actors before the
    developments that name them); ties keep Django's app and definition order.
    """
    return list(_versioned_in_order())


def revision_links() -> list[type[RevisionLink]]:
    """The domains' notes on revisions (e.g. the story a revision belongs to)."""
    return [model for model in apps.get_models() if issubclass(model, RevisionLink)]


def model_by_label(label: str) -> type[Versioned] | None:
    """A versioned model by its lower-case label ('events.development')."""
    return next((m for m in versioned_models() if m._meta.label_lower == label), None)


def model_by_name(name: str) -> type[Versioned] | None:
    """A versioned model by its model name ('development'), as the change feed names it."""
    return next((m for m in versioned_models() if m._meta.model_name == name), None)


def append_only_tables() -> list[str]:
    """Tables that are never rewritten: revisions, their links, the public log, versions, m2m versions.

    Migrations freeze this list as it was when they were written (see record.db).
    """
    tables = [Revision._meta.db_table, *(link._meta.db_table for link in revision_links()),
              *(model._meta.db_table for model in (LogLeaf, LogNode, LogTile, LogCheckpoint))]
    for model in versioned_models():
        history = model.history.model
        tables.append(history._meta.db_table)
        for field in model._meta.many_to_many:
            tables.append(vars(history)[field.name].model._meta.db_table)
    return tables


def version_tables() -> list[str]:
    return [model.history.model._meta.db_table for model in versioned_models()]


# --- item services: each domain registers the writes of its items beside them ---

_item_services: dict[type[Versioned], object] = {}


def register_item_services(model: type[Versioned], services: object) -> None:
    """Name the writes of one kind of item (create, update, restore, retract).

    Each domain calls it in its own services module, beside its models
    (events.services, claims.services); surfaces ask `item_services(model)`.
    """
    _item_services[model] = services


def _load_services(model: type[Versioned]) -> None:
    # A domain's services module registers when imported: the first ask imports it,
    # so no surface or domain imports another domain's table to find it.
    import importlib
    import importlib.util

    name = f"{model._meta.app_config.name}.services"
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name)


def item_services(model: type[Versioned]):
    """The writes its domain registered for `model`; KeyError when it has none."""
    if model not in _item_services:
        _load_services(model)
    return _item_services[model]


def models_with_services() -> list[type[Versioned]]:
    """Versioned models whose domain registered their writes, in the registry's order."""
    models_ = versioned_models()
    for model in models_:
        if model not in _item_services:
            _load_services(model)
    return [model for model in models_ if model in _item_services]

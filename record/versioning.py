"""The one way to write a versioned row: inside a revision, as a new version."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import (
    post_create_historical_m2m_records,
    post_create_historical_record,
    pre_create_historical_record,
)

from .errors import (
    EmptyMessageError,
    NoChangeError,
    OutsideRevisionError,
    RevisionOrderError,
    StaleVersionError,
)
from .models import Revision, RevisionedVersion, RevisionLink, Versioned
from .validators import refuse_control_characters

V = TypeVar("V", bound=Versioned)

_current_revision: contextvars.ContextVar[Revision | None] = contextvars.ContextVar(
    "current_revision", default=None
)
# The versioned models the open revision wrote: its leaf reads only those.
_written_models: contextvars.ContextVar[set | None] = contextvars.ContextVar(
    "written_models", default=None
)
# Notes a caller asked to write on the next revision opened (see noting()).
_link_writers: contextvars.ContextVar[tuple] = contextvars.ContextVar("link_writers", default=())


def current_revision() -> Revision | None:
    return _current_revision.get()


@receiver(pre_create_historical_record)
def _attach_revision(sender, history_instance, **kwargs) -> None:
    if not isinstance(history_instance, RevisionedVersion):
        return
    revision = current_revision()
    if revision is None:
        raise OutsideRevisionError(
            f"{sender.__name__} saved outside a revision: write through the services."
        )
    history_instance.revision = revision
    written = _written_models.get()
    if written is not None:
        written.add(history_instance.instance_type)


@receiver(post_create_historical_m2m_records)
def _note_set_written(sender, created_rows, history_instance, field, **kwargs) -> None:
    # The set as this version holds it, for the leaf to use unread (see _note_version_written).
    if isinstance(history_instance, RevisionedVersion):
        target = field.m2m_reverse_field_name() + "_id"
        history_instance.__dict__.setdefault("_sets_written", {})[field.name] = [
            getattr(row, target) for row in created_rows]


@receiver(post_create_historical_record)
def _note_version_written(sender, history_instance, **kwargs) -> None:
    """Note on the open revision the version just written, as written, for its leaf.

    The leaf checks with one read of the revision's history ids per model that
    the noted versions are exactly the ones it holds (a savepoint rolled back
    sends it back to reading them), as for bulk writes.
    """
    from .leaves import remember_versions  # leaves read the registry: import late

    revision_now = current_revision()
    if not isinstance(history_instance, RevisionedVersion) or revision_now is None:
        return
    model = history_instance.instance_type
    history_id = history_instance.history_id
    row = {"history_id": history_id, "id": history_instance.id, "version": history_instance.version}
    sets = {}
    written_sets = history_instance.__dict__.get("_sets_written", {})
    for field in tracked_fields(model):
        if field.many_to_many:
            sets[(field.name, history_id)] = written_sets.get(field.name, [])
        else:
            row[field.attname] = getattr(history_instance, field.attname)
    remember_versions(revision_now, model, [row], sets)


@receiver(post_save)
def _note_link_written(sender, instance, created, **kwargs) -> None:
    # A domain's link on the open revision, for its leaf to use unread (checked like versions).
    from .leaves import remember_link  # leaves read the registry: import late

    revision_now = current_revision()
    if created and isinstance(instance, RevisionLink) and revision_now is not None \
            and instance.revision_id == revision_now.id:
        remember_link(revision_now, instance)


def note_written(model: type[Versioned]) -> None:
    """Tell the open revision that `model` has versions in it (bulk writes send no signal)."""
    written = _written_models.get()
    if written is not None:
        written.add(model)
@contextmanager
def noting(write: Callable[[Revision], object]) -> Iterator[None]:
    """Have the revision opened inside this block also run `write(revision)`.

    It runs in the revision's transaction, after its versions and before its
    leaf, so a domain's `RevisionLink` written there is part of the revision as
    committed and signed (e.g. who drafted and who reviewed a published draft),
    whichever service opened the revision.
    """
    token = _link_writers.set((*_link_writers.get(), write))
    try:
        yield
    finally:
        _link_writers.reset(token)


def lock_revision_log() -> None:
    # Taken inside the transaction and held until commit, so a revision with
    # a higher id can never become visible before one with a lower id: the
    # change feed's `after=<id>` cursor then never skips a late commit.
    # SQLite needs nothing more: IMMEDIATE transactions already serialise writers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Revision._meta.db_table} IN EXCLUSIVE MODE")


@contextmanager
def revision(
    *,
    author,
    message: str,
    kind: str,
    minor: bool = False,
    at: dt.datetime | None = None,
) -> Iterator[Revision]:
    """Open a revision: every versioned save inside it becomes one of its versions.

    Nested calls join the open revision, so an admin save with inlines, or a
    service calling another, is still one revision with one message. A domain
    notes what a revision is about with its own `RevisionLink` (events: the story).
    """
    open_revision = current_revision()
    if open_revision is not None:
        yield open_revision
        return
    message = (message or "").strip()
    if not message:
        raise EmptyMessageError()
    try:
        refuse_control_characters(message)  # shown on history pages and in feeds
    except ValidationError as refused:
        raise ValidationError({"message": refused}) from None
    with transaction.atomic():
        lock_revision_log()
        latest = (Revision.objects.order_by("-id").only("created_at")
                  .annotate(leaf_index=F("log_leaf__index")).first())
        # In UTC, as the database gives it back: the revision's leaf is written from it.
        created_at = at or timezone.now()
        if timezone.is_naive(created_at):
            created_at = timezone.make_aware(created_at)
        created_at = created_at.astimezone(dt.UTC)
        if latest and created_at < latest.created_at:
            if at is not None:
                raise RevisionOrderError(
                    f"Cannot date a revision {created_at.isoformat()}: the log already "
                    f"reaches {latest.created_at.isoformat()}."
                )
            created_at = latest.created_at  # clock step backwards: keep time monotonic
        new_revision = Revision.objects.create(
            created_at=created_at, author=author, message=message, kind=kind,
            minor=minor,
        )
        token = _current_revision.set(new_revision)
        written_token = _written_models.set(set())
        try:
            yield new_revision
            for write in _link_writers.get():
                write(new_revision)
            written = _written_models.get()
        finally:
            _current_revision.reset(token)
            _written_models.reset(written_token)
        _append_leaf(new_revision, latest, written)


def _append_leaf(new_revision: Revision, latest: Revision | None, written: set) -> None:
    # Still inside the transaction and the lock, after every version and link
    # the revision wrote: the leaf order is the commit order, and the leaf
    # holds the revision as it is committed.
    from .tree import append_leaf, catch_up, tree_enabled  # the tree reads the log: import late

    if not tree_enabled():
        return
    if latest is None:
        index = 0
    elif latest.leaf_index is not None:
        index = latest.leaf_index + 1
    else:
        # Revisions from before the log had a tree (or while it was off): they
        # take their leaves first, in id order, so leaf order stays commit order.
        index = catch_up(before=new_revision.id)
    append_leaf(new_revision, models=written, index=index)


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


def _m2m_ids(instance: models.Model, name: str) -> list[int]:
    if instance.pk is None:
        return []
    return sorted(getattr(instance, name).values_list("pk", flat=True))


def save_version(
    instance: V,
    *,
    changes: dict[str, Any] | None = None,
    base_version: int | None = None,
    allow_no_change: bool = False,
) -> V:
    """Write `instance` (new, or an update of the current row) as its next version.

    `changes` maps field names to new values; many-to-many fields take an
    iterable of objects or ids. An update must say which version it was based
    on; an update that changes nothing is refused rather than recorded.
    """
    revision_now = current_revision()
    if revision_now is None:
        raise OutsideRevisionError("save_version() must run inside revision().")
    changes = dict(changes or {})
    model = type(instance)
    m2m_names = {f.name for f in model._meta.many_to_many}
    m2m_changes = {name: changes.pop(name) for name in list(changes) if name in m2m_names}

    creating = instance.pk is None
    if not creating:
        current = model.objects.select_for_update().get(pk=instance.pk)
        if base_version is None or current.version != base_version:
            raise StaleVersionError(instance=current, base_version=base_version or 0)
        instance = current
    before = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
    for name, value in changes.items():
        setattr(instance, name, value)
    m2m_ids = {name: sorted(_as_ids(values)) for name, values in m2m_changes.items()}
    if not creating and not allow_no_change:
        after = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
        m2m_differs = any(ids != _m2m_ids(instance, name) for name, ids in m2m_ids.items())
        if after == before and not m2m_differs:
            raise NoChangeError()

    # Unchanged references were valid when they were written (and the database
    # enforces them), so only changed ones cost a validation query.
    unchanged_refs = [
        f.name for f in model._meta.concrete_fields
        if f.is_relation and not creating and getattr(instance, f.attname) == before[f.attname]
    ]
    instance.full_clean(exclude=["version", *unchanged_refs])
    instance.version = (instance.version or 0) + 1
    instance._history_date = revision_now.created_at
    if creating:
        # A new row needs its id before its many-to-many sets can be written:
        # insert it without history, then save once more with it.
        instance.skip_history_when_saving = True
        try:
            instance.save()
            for name, ids in m2m_ids.items():
                getattr(instance, name).set(ids)
        finally:
            del instance.skip_history_when_saving
    elif m2m_ids:
        # Sets first (without history), so the one history row below holds them.
        instance.skip_history_when_saving = True
        try:
            for name, ids in m2m_ids.items():
                getattr(instance, name).set(ids)
        finally:
            del instance.skip_history_when_saving
    instance.save()
    return instance


def _as_ids(values: Iterable[Any]) -> list[int]:
    return [value.pk if isinstance(value, models.Model) else int(value) for value in values]

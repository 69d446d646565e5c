"""The one way to write a versioned row: inside a revision, as a new version."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import (
    post_create_historical_m2m_records,
    post_create_historical_record,
    pre_create_historical_record,
)

from . import aftercommit, summary
from .errors import (
    EmptyMessageError,
    NoChangeError,
    OutsideRevisionError,
    RevisionOrderError,
    StaleVersionError,
)
from .fields import tracked_fields
from .leaves import dumps, written_line
from .models import Revision, RevisionedVersion, Versioned
from .progress import (
    RevisionInProgress,
    WrittenVersion,
    closed,
    current_revision,
    in_progress,
    lock_revision_log,
    opened,
)
from .tree import append_leaf, catch_up, tree_enabled
from .validators import refuse_control_characters

V = TypeVar("V", bound=Versioned)

__all__ = ["current_revision", "noting", "revision", "save_version", "tracked_fields"]

# Notes a caller asked to write on the next revision opened (see noting()).
_link_writers: contextvars.ContextVar[tuple] = contextvars.ContextVar("link_writers", default=())


# simple-history writes a version from the model's post_save; these receivers
# give it the open revision and note it there as written (sender-filtered to
# versioned models through RevisionedVersion).

@receiver(pre_create_historical_record)
def _attach_revision(sender, history_instance, **kwargs) -> None:
    if not isinstance(history_instance, RevisionedVersion):
        return
    revision_now = current_revision()
    if revision_now is None:
        raise OutsideRevisionError(
            f"{sender.__name__} saved outside a revision: write through the services."
        )
    history_instance.revision = revision_now


@receiver(post_create_historical_m2m_records)
def _note_set_written(sender, created_rows, history_instance, field, **kwargs) -> None:
    # Sent before the version itself is noted: held on the revision until then.
    progress = in_progress()
    if isinstance(history_instance, RevisionedVersion) and progress is not None:
        target = field.m2m_reverse_field_name() + "_id"
        progress.pending_sets.setdefault(history_instance.history_id, {})[field.name] = [
            getattr(row, target) for row in created_rows]


@receiver(post_create_historical_record)
def _note_version_written(sender, history_instance, **kwargs) -> None:
    """Note on the open revision the version just written, as written, for its leaf.

    The leaf checks with one read of the revision's history ids per model that
    the noted versions are exactly the ones it holds (a savepoint rolled back
    sends it back to reading them), as for bulk writes.
    """
    progress = in_progress()
    if not isinstance(history_instance, RevisionedVersion) or progress is None:
        return
    model = history_instance.instance_type
    history_id = history_instance.history_id
    values = {"id": history_instance.id, "version": history_instance.version}
    written_sets = progress.pending_sets.pop(history_id, {})
    sets = {}
    for field in tracked_fields(model):
        if field.many_to_many:
            sets[field.name] = written_sets.get(field.name, [])
        else:
            values[field.attname] = getattr(history_instance, field.attname)
    progress.note_versions(model, [WrittenVersion(history_id, values, sets)])


@contextmanager
def noting(write: Callable[[Revision], object]) -> Iterator[None]:
    """Have the revision opened inside this block also run `write(revision)`.

    It runs in the revision's transaction, after its versions and before its
    leaf, so a domain's `RevisionLink` written there (through
    `record.progress.write_link`) is part of the revision as committed and
    signed (e.g. who drafted and who reviewed a published draft), whichever
    service opened the revision.
    """
    token = _link_writers.set((*_link_writers.get(), write))
    try:
        yield
    finally:
        _link_writers.reset(token)


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
        progress = RevisionInProgress(new_revision)
        token = opened(progress)
        try:
            yield new_revision
            for write in _link_writers.get():
                write(new_revision)
        finally:
            closed(token)
        if tree_enabled():
            line = written_line(progress)
            leaf_index = _append_leaf(new_revision, latest, dumps(line))
            # Sent once, after commit (summarised there, outside the lock); never for a
            # revision rolled back (on_commit drops it).
            aftercommit.after_commit(lambda: summary.send_committed(summary.summarise(line, leaf_index)))
        else:
            # No leaf is built (only the benchmark switches the tree off): read it back after commit.
            aftercommit.after_commit(lambda: summary.send_committed(summary.summary_of(new_revision.id)))


def _append_leaf(new_revision: Revision, latest: Revision | None, line: str) -> int:
    # Still inside the transaction and the lock, after every version and link
    # the revision wrote: the leaf order is the commit order, and the leaf
    # holds the revision as it is committed.
    if latest is None:
        index = 0
    elif latest.leaf_index is not None:
        index = latest.leaf_index + 1
    else:
        # Revisions from before the log had a tree (or while it was off): they
        # take their leaves first, in id order, so leaf order stays commit order.
        index = catch_up(before=new_revision.id)
    append_leaf(new_revision, data=line.encode("utf-8"), index=index)
    return index


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

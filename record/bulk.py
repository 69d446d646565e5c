"""Many versions at once inside the open revision: the bulk path of imports.

The same rules as `versioning.save_version`, for a list of items of one model:
every row is validated, a new item becomes version 1, an edit names the
version it was based on (stale: `StaleVersionError`, nothing written) and must
change something (`NoChangeError`), and each written row gets its history row
(with its many-to-many sets) in the open revision. Rows, history rows and set
rows go in with one INSERT per table instead of several statements per item.

An import hands its rows over as plain values (`create_versions_from_values`):
each becomes a model row without running `Model.__init__` per row, and the
same checks and writes follow as for rows built by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault
from django.db.models.signals import post_init, pre_init

from .errors import NoChangeError, OutsideRevisionError, StaleVersionError
from .models import Revision, Versioned
from .progress import WrittenVersion, current_revision, in_progress
from .selectors import history_model
from .validators import refuse_control_characters, text_fields

V = TypeVar("V", bound=Versioned)

BATCH_SIZE = 1000  # rows per INSERT


def _insert(model: type[models.Model], rows: Sequence[models.Model], *, with_ids: bool,
            encoded: dict | None = None) -> None:
    """INSERT model instances `rows`; `with_ids` sets each one's primary key as it is written."""
    if not rows:
        return
    meta = model._meta
    names = [f.attname for f in meta.concrete_fields if f is not meta.pk]
    ids = _insert_values(model, names, [[getattr(row, name) for name in names] for row in rows],
                         with_ids=with_ids, encoded=encoded)
    for row, pk in zip(rows, ids or [None] * len(rows), strict=True):
        if with_ids:
            setattr(row, meta.pk.attname, pk)
        row._state.adding, row._state.db = False, connection.alias


def _insert_values(model: type[models.Model], names: list[str], rows: list[list], *,
                   with_ids: bool, encoded: dict | None = None) -> list[int]:
    """INSERT rows given as values of the attnames `names`; returns their new ids if `with_ids`.

    `encoded` (PostgreSQL): JSON texts by (`id()` of the value, encoder), filled as values
    are encoded: an item and its history row share one encoding of the same object (the
    caller keeps the values alive while it uses the dict, so an id names one object).

    PostgreSQL takes them through COPY (ids drawn from the table's sequence first):
    an import writes tens of thousands of rows, and COPY costs a fraction of
    parameterised INSERTs, as plain values cost a fraction of model instances.
    Elsewhere (SQLite) Django's bulk_create.
    """
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(names, values, strict=True))) for values in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return [getattr(o, pk.attname) for o in objects]
    fields = {f.attname: f for f in meta.concrete_fields}
    ids: list[int] = []
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, pk.column, len(rows)])
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        columns = [pk.column] * with_ids + [fields[name].column for name in names]
        # psycopg adapts text, numbers, dates and None itself; JSON goes as its text, written as
        # Django's JSONField writes it (json.dumps with the field's encoder), without an adapter per value.
        prepared = [(i + with_ids, fields[name]) for i, name in enumerate(names)
                    if isinstance(fields[name], models.JSONField)]
        encoded = {} if encoded is None else encoded
        copy_sql = f"COPY {quote(meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for n, values in enumerate(rows):
                values = [ids[n], *values] if with_ids else list(values)
                for i, field in prepared:
                    value = values[i]
                    if value is not None:
                        key = (id(value), field.encoder)
                        text = encoded.get(key)
                        if text is None:
                            text = encoded[key] = json.dumps(value, cls=field.encoder)
                        values[i] = text
                copy.write_row(values)
    return ids


def _update_values(model: type[models.Model], items: Sequence[models.Model], names: list[str]) -> None:
    """UPDATE the columns `names` (attnames) of `items` to their values on the instances.

    PostgreSQL: one `UPDATE ... FROM (VALUES ...)` per batch, where Django's
    bulk_update builds a CASE expression per row and column. Elsewhere bulk_update.
    """
    meta = model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    if connection.vendor != "postgresql":
        model.objects.bulk_update(items, [fields[name].name for name in names], batch_size=BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    columns = [meta.pk, *(fields[name] for name in names)]
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in columns) + ")"
    assign = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:])
    aliases = ", ".join(quote(field.column) for field in columns)
    pk = quote(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(items), BATCH_SIZE):
            batch = items[start:start + BATCH_SIZE]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assign} "  # noqa: S608 (names from the model)
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v ({aliases}) WHERE t.{pk} = v.{pk}",
                [field.get_db_prep_save(getattr(item, field.attname), connection)
                 for item in batch for field in columns])


def _open_revision() -> Revision:
    revision = current_revision()
    if revision is None:
        raise OutsideRevisionError("Bulk versions must be written inside revision().")
    return revision


def _relation_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


# Values whose check is remembered: hashable, and compared by value.
_REMEMBERED = (str, int, float, dt.date)


class _Checks:
    """`full_clean` for many rows of one model, with the model's own rules and messages.

    The same steps as `Versioned.clean_fields` then the model's `clean()`: each
    field's `clean()` (its validators, choices, lengths), the control-character
    refusal on text, then the cross-field rules. What is saved is re-checking a
    value already found valid for the same field in this batch (an import repeats
    kinds, countries, precisions, names): a field's check depends on its value
    alone, relations aside, which are never remembered.
    References are checked by the database's foreign keys; uniqueness by its
    constraints (the whole batch fails, and the caller's transaction with it).
    """

    def __init__(self, model: type[Versioned]):
        text = {field.name for field in text_fields(model)}
        # Per field, read once: (field, name, attname, its empty values if blank may be empty,
        # the set of values found valid if they are remembered, whether it is text).
        self.fields = [(field, field.name, field.attname, tuple(field.empty_values) if field.blank else (),
                        None if field.is_relation else set(), field.name in text)
                       for field in model._meta.fields if not field.generated]
        self.checked: dict[frozenset, list] = {}  # the fields to check, per set of fields excluded
        # A model that changes how it validates fields keeps its own full_clean.
        self.own = (model.clean_fields is not Versioned.clean_fields
                    or model.full_clean is not models.Model.full_clean)

    def __call__(self, instance: Versioned, skip: Iterable[str]) -> None:
        exclude = frozenset({"version", *skip})
        if self.own:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            return
        checked = self.checked.get(exclude)
        if checked is None:
            checked = self.checked[exclude] = [spec for spec in self.fields if spec[1] not in exclude]
        errors: dict = {}
        refused: dict = {}
        for field, name, attname, empty, passed, text in checked:
            raw = getattr(instance, attname)
            if (empty and raw in empty) or isinstance(raw, DatabaseDefault):
                continue
            key = (type(raw), raw) if passed is not None and isinstance(raw, _REMEMBERED) else None
            if key is not None and key in passed:
                continue
            try:
                value = field.clean(raw, instance)
            except ValidationError as invalid:
                errors[name] = invalid.error_list
                continue
            setattr(instance, attname, value)
            if text and self._refuse(name, value, refused):
                continue
            if key is not None and type(value) is type(raw) and value == raw:
                passed.add(key)
        errors.update(refused)
        try:
            instance.clean()
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _refuse(name: str, value: Any, refused: dict) -> bool:
        try:
            refuse_control_characters(value)
        except ValidationError as refusal:
            refused[name] = refusal.error_list
            return True
        return False


def _as_ids(values: Iterable[Any]) -> list[int]:
    return sorted(value.pk if isinstance(value, models.Model) else int(value) for value in values)


def _m2m_fields(model: type[models.Model]) -> dict[str, models.ManyToManyField]:
    return {field.name: field for field in model._meta.many_to_many}


def _write_sets(model: type[V], sets: dict[str, dict[int, list[int]]], *,
                new: bool = False) -> dict[str, list[tuple[int, int, int]]]:
    """Replace the current sets: {field: {item id: target ids}} (items not named keep theirs).

    Returns the set rows written, {field: [(row id, item id, target id)]}: what the
    versions of new items' sets are, without reading them back.
    """
    written = {}
    for name, by_item in sets.items():
        field = _m2m_fields(model)[name]
        through = field.remote_field.through
        source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
        if not new:  # new items have no sets yet
            through.objects.filter(**{f"{source}__in": list(by_item)}).delete()
        pairs = [(pk, target_id) for pk, ids in by_item.items() for target_id in ids]
        ids = _insert_values(through, [source, target], [list(pair) for pair in pairs], with_ids=True)
        written[name] = [(row_id, pk, target_id) for row_id, (pk, target_id) in zip(ids, pairs, strict=True)]
    return written


def _write_history(model: type[V], items: Sequence[V], history_type: str, revision: Revision, *,
                   sets_written: dict[str, list[tuple[int, int, int]]] | None = None,
                   encoded: dict | None = None) -> None:
    """One history row per item (as simple-history writes it on save), with its sets as they are now.

    `sets_written`: every set row the items have (new items: what `_write_sets` just
    wrote), so none is read back. The revision's leaf is given the versions as written.
    """
    history = history_model(model)
    fields = [f.attname for f in model._meta.concrete_fields]
    names = [*fields, "history_date", "history_type", "history_change_reason", "history_user_id",
             "revision_id"]
    extra = [revision.created_at, history_type, None, None, revision.id]
    values = [[getattr(item, name) for name in fields] for item in items]
    history_ids = _insert_values(history, names, [row + extra for row in values], with_ids=True,
                                 encoded=encoded)
    history_of = {item.pk: history_id for item, history_id in zip(items, history_ids, strict=True)}
    sets_of: dict[tuple[str, int], list[int]] = {}
    for name, field in _m2m_fields(model).items():
        through = field.remote_field.through
        versions = vars(history)[name].model  # simple-history's table of the set's versions
        source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
        if sets_written is not None:
            current = sets_written.get(name, [])
        else:
            current = through.objects.filter(**{f"{source}__in": list(history_of)}).values_list(
                "id", source, target)
        rows = [[pk, history_of[item_id], item_id, target_id] for pk, item_id, target_id in current]
        _insert_values(versions, ["id", "history_id", source, target], rows, with_ids=False)
        for _, history_id, _, target_id in rows:
            sets_of.setdefault((name, history_id), []).append(target_id)
    names_of_sets = list(_m2m_fields(model))
    in_progress().note_versions(model, [
        WrittenVersion(history_id, dict(zip(fields, row, strict=True)),
                       {name: sets_of.get((name, history_id), []) for name in names_of_sets})
        for row, history_id in zip(values, history_ids, strict=True)])


def create_versions(instances: Sequence[V], *, sets: Sequence[dict[str, Iterable]] | None = None) -> list[V]:
    """Write new items of one model as version 1 each; `sets[i]` gives item i's many-to-many sets."""
    revision = _open_revision()
    if not instances:
        return []
    model = type(instances[0])
    relations = _relation_names(model)
    check = _Checks(model)
    for instance in instances:
        if instance.pk is not None:
            raise ValueError("create_versions() writes new items only; edit with update_versions().")
        check(instance, relations)
        instance.version = 1
        instance._history_date = revision.created_at
    encoded: dict = {}
    _insert(model, instances, with_ids=True, encoded=encoded)
    by_field: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for instance, item_sets in zip(instances, sets, strict=True) if sets else ():
        for name, values in item_sets.items():
            by_field[name][instance.pk] = _as_ids(values)
    written = _write_sets(model, by_field, new=True)
    # "~" as save_version writes it too (a new row is inserted first, then saved as its version).
    _write_history(model, instances, "~", revision, sets_written=written, encoded=encoded)
    return list(instances)


def create_versions_from_values(model: type[V], rows: Sequence[dict[str, Any]], *,
                                sets: Sequence[dict[str, Iterable]] | None = None) -> list[V]:
    """`create_versions` for rows given as plain values: {field name or attname: value} each.

    A relation may be given by name as an item or by attname as an id. Each row
    becomes a model row directly (`_rows_as_items`); it is checked and written
    exactly as a row built with `model(**values)` would be.
    """
    return create_versions(_rows_as_items(model, rows), sets=sets)


def _rows_as_items(model: type[V], rows: Sequence[dict[str, Any]]) -> list[V]:
    """Model rows from plain values without `Model.__init__` per row (its argument handling, a
    descriptor per relation and two signals cost more than the rest of an imported row's Python):
    every concrete field's default, then the values given, straight into the row's `__dict__`.
    A model with pre_init/post_init receivers is built the usual way, as they expect to run.
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return [model(**values) for values in rows]
    meta = model._meta
    relations = {field.name: field.attname for field in meta.concrete_fields if field.is_relation}
    known = {field.attname for field in meta.concrete_fields}
    fixed, called = {}, []
    for field in meta.concrete_fields:
        if field.has_default() and callable(field.default):
            called.append(field)  # a fresh value per row (e.g. `dict`), as __init__ gives
        else:
            fixed[field.attname] = field.get_default()
    items = []
    for values in rows:
        state = dict(fixed)
        for field in called:
            state[field.attname] = field.get_default()
        for name, value in values.items():
            if name in relations:
                name = relations[name]
                if isinstance(value, models.Model):
                    value = value.pk
            elif name not in known:
                raise TypeError(f"{model.__name__} has no field named {name!r}.")
            state[name] = value
        item = model.__new__(model)
        item.__dict__.update(state)
        item._state = ModelState()
        items.append(item)
    return items


def update_versions(model: type[V], edits: Sequence[tuple[int, int, dict[str, Any]]]) -> list[V]:
    """Edit items of one model: `(item id, base version, changes)` each; many-to-many changes take ids."""
    revision = _open_revision()
    if not edits:
        return []
    m2m = _m2m_fields(model)
    current = model.objects.select_for_update().in_bulk([pk for pk, _, _ in edits])
    sets_now: dict[str, dict[int, list[int]]] = {}
    for name, field in m2m.items():
        if any(name in changes for _, _, changes in edits):
            through = field.remote_field.through
            source, target = field.m2m_field_name() + "_id", field.m2m_reverse_field_name() + "_id"
            found: dict[int, list[int]] = defaultdict(list)
            for item_id, target_id in through.objects.filter(
                    **{f"{source}__in": list(current)}).values_list(source, target):
                found[item_id].append(target_id)
            sets_now[name] = {pk: sorted(ids) for pk, ids in found.items()}
    concrete = [f.attname for f in model._meta.concrete_fields]
    changed_fields: set[str] = {"version"}
    new_sets: dict[str, dict[int, list[int]]] = defaultdict(dict)
    items = []
    check = _Checks(model)
    for pk, base_version, changes in edits:
        item = current.get(pk)
        if item is None:
            raise model.DoesNotExist(f"No {model._meta.verbose_name} {pk}.")
        if item.version != base_version:
            raise StaleVersionError(instance=item, base_version=base_version)
        before = {name: getattr(item, name) for name in concrete}
        differs = False
        for name, value in changes.items():
            if name in m2m:
                ids = _as_ids(value)
                if ids != sets_now[name].get(pk, []):
                    new_sets[name][pk] = ids
                    differs = True
            else:
                setattr(item, name, value)
        touched = {name for name in concrete if getattr(item, name) != before[name]}
        if not (touched or differs):
            raise NoChangeError()
        changed_fields |= touched
        check(item, [f.name for f in model._meta.concrete_fields
                         if f.is_relation and f.attname not in touched])
        item.version += 1
        items.append(item)
    _update_values(model, items, sorted(changed_fields))
    _write_sets(model, new_sets)
    _write_history(model, items, "~", revision)
    return items

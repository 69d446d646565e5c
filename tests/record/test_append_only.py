"""Versions and revisions are append-only in the database itself, not only in the ORM."""

import pytest
from django.db import DatabaseError, connection, transaction

from events.models import Development
from record.models import Revision
from tests.factories import make_development

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_update_of_a_revision_is_refused():
    revision_id = make_development().history.first().revision_id
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE record_revision SET message = %s WHERE id = %s", ["rewritten", revision_id])
    assert Revision.objects.get(id=revision_id).message == "New development"


def test_raw_delete_of_a_revision_is_refused():
    revision_id = make_development().history.first().revision_id
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM record_revision WHERE id = %s", [revision_id])
    assert Revision.objects.filter(id=revision_id).exists()


def test_raw_update_of_a_version_is_refused():
    development = make_development(title="Original")
    table = Development.history.model._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"UPDATE {table} SET title = %s WHERE id = %s", ["Rewritten", development.pk])  # noqa: S608
    assert development.history.get().title == "Original"


def test_raw_delete_of_a_version_is_refused():
    development = make_development()
    table = Development.history.model._meta.db_table
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"DELETE FROM {table} WHERE id = %s", [development.pk])  # noqa: S608
    assert development.history.count() == 1


def test_orm_delete_of_a_versioned_item_is_refused():
    development = make_development()
    # Deleting would write a "-" version outside any revision: the product never deletes.
    with pytest.raises(Exception, match="outside a revision"), transaction.atomic():
        development.delete()
    assert Development.objects.filter(pk=development.pk).exists()

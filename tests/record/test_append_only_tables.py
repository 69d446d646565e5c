"""Every append-only table refuses every way of rewriting a row, on both engines.

The walk reads the tables from the registry (revisions, their links, the public
log, versions and their many-to-many versions) and the models that keep their
own append-only rows (captures, draft steps): a migration that rebuilds one of
them on SQLite and loses its triggers fails here.
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from archive.models import Capture
from drafts import services as drafts
from drafts.models import DraftEvent
from events.services import briefing_create
from publiclog import checkpoints
from record.models import LogTile
from record.registry import append_only_tables
from tests.factories import edit_many_times, make_claim, make_editor, make_reviewer, make_source

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _tables() -> list[str]:
    return [*append_only_tables(), Capture._meta.db_table, DraftEvent._meta.db_table]


@pytest.fixture
def every_table_has_a_row():
    """A record with at least one row in every append-only table."""
    author, reviewer = make_editor(), make_reviewer()
    source = make_source(author=author, url="https://example.org/report")
    claim = make_claim(author=author, sources=[source])
    development = edit_many_times(claim.development, 1, author=author)
    briefing_create(author=author, story=development.story, message="What we know", text="Known.")
    draft = drafts.draft_create(author=author, item_type="events.development", item=development,
                                kind="correction", message="Town named", values={"title": "Named"})
    draft = drafts.draft_approve(draft=drafts.draft_submit(draft=draft, user=author), reviewer=reviewer)
    drafts.draft_publish(draft=draft, publisher=author)
    Capture.objects.create(source=source, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.FAILED,
                           requested_url=source.url, captured_at=timezone.now(), error="refused")
    checkpoints.publish_checkpoint()
    # A stored tile: a real one needs 256 leaves; which bytes it holds is not what is tried here.
    LogTile.objects.create(path="tile/0/000", data=b"\x00" * 8192)


def _primary_key(table: str) -> str:
    with connection.cursor() as cursor:
        return connection.introspection.get_primary_key_column(cursor, table)


def _refused(sql: str) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError as refusal:
        assert "append-only" in str(refusal)
        return True
    return False


def _snapshot(table: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608 (table names from the registry)
        return cursor.fetchall()


def _rewrites(table: str, key: str) -> dict[str, str]:
    table, key = connection.ops.quote_name(table), connection.ops.quote_name(key)
    first = f"(SELECT min({key}) FROM {table})"  # noqa: S608
    # A whole existing row written again under its own key: SQLite's REPLACE deletes
    # the old row without firing DELETE triggers, an upsert updates it in place.
    again = f"SELECT * FROM {table} WHERE {key} = {first}"  # noqa: S608
    writes = {
        "UPDATE": f"UPDATE {table} SET {key} = {key} WHERE {key} = {first}",  # noqa: S608
        "DELETE": f"DELETE FROM {table} WHERE {key} = {first}",  # noqa: S608
        "ON CONFLICT DO UPDATE": f"INSERT INTO {table} {again} ON CONFLICT ({key}) "  # noqa: S608
                                 f"DO UPDATE SET {key} = excluded.{key}",
    }
    if connection.vendor == "sqlite":
        writes["INSERT OR REPLACE"] = f"INSERT OR REPLACE INTO {table} {again}"  # noqa: S608
        writes["REPLACE INTO"] = f"REPLACE INTO {table} {again}"  # noqa: S608
    return writes


def test_the_walk_names_every_kind_of_append_only_row():
    tables = _tables()
    for table in ("record_revision", "events_storyrevision", "drafts_draftrevision", "record_logleaf",
                  "record_lognode", "record_logtile", "record_logcheckpoint", "events_historicalsource",
                  "events_historicaldevelopment_sources", "claims_historicalclaim_sources",
                  "archive_capture", "drafts_draftevent"):
        assert table in tables


def test_no_append_only_table_lets_a_row_be_rewritten(every_table_has_a_row):
    let_through = []
    for table in _tables():
        before = _snapshot(table)
        assert before, f"{table} has no row to try"
        for write, sql in _rewrites(table, _primary_key(table)).items():
            if not _refused(sql):
                let_through.append(f"{write} on {table}")
        if _snapshot(table) != before:
            let_through.append(f"a change to {table}")
    assert let_through == []


def test_a_new_row_is_still_written_after_the_triggers(every_table_has_a_row):
    # The BEFORE INSERT guard refuses only an existing key, never an ordinary append.
    source = make_source(url="https://example.org/another")
    capture = Capture.objects.create(source=source, reason=Capture.Reason.CHECK,
                                     outcome=Capture.Outcome.FAILED, requested_url=source.url,
                                     captured_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert Capture.objects.filter(pk=capture.pk).exists()

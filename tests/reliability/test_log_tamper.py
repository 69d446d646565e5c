"""Rewriting history behind the triggers' back is caught: by verify_log and by the standalone verifier.

The attacker is a database superuser: they switch the append-only triggers
off, change or delete rows, and switch them back on. The tests play that
attacker on PostgreSQL, against a live server for the standalone script.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from events import services
from publiclog import checkpoints
from record import tree
from record.models import LogLeaf, Revision
from tests.factories import make_development, make_story, make_user
from tools import verify_log as standalone

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="superuser trigger switching"),
]


def _as_superuser(*statements: str, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        for sql, params in statements:
            cursor.execute(sql, params)
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


def _standalone(*args: str, capsys) -> tuple[int, str]:
    code = standalone.main(list(args))
    return code, capsys.readouterr().out


@pytest.fixture
def editor(transactional_db):
    # A plain user: a transactional test's flush drops the migrations' editors group.
    return make_user()


@pytest.fixture
def history(editor):
    """A story with a development edited twice, signed at every step."""
    development = make_development(author=editor, title="Shelling reported near Shusha")
    checkpoints.publish_checkpoint()
    development = services.development_update(
        author=editor, development=development, base_version=1, message="More detail",
        kind=Revision.Kind.UPDATE, changes={"title": "Shelling reported near Shusha at dawn"})
    make_story(author=editor, slug="another")
    checkpoints.publish_checkpoint()
    return development


def test_an_untouched_log_verifies_in_both_verifiers(history, live_server, tmp_path, capsys):
    call_command("verify_log", stdout=io.StringIO())
    key = checkpoints.signing_key().verifier()
    first = str(Revision.objects.order_by("id").first().id)
    code, out = _standalone("--server", live_server.url, "--key", key, "--audit",
                            "--state", str(tmp_path / "state.json"), "--revision", first, capsys=capsys)
    assert code == 0, out
    assert "PROVEN: all 4 leaves the server serves are exactly the signed log." in out
    assert f"PROVEN: leaf 0, revision {first} by" in out


def test_a_rewritten_old_version_is_named_by_verify_log_and_the_standalone_verifier(
        history, live_server, tmp_path, capsys):
    first = history.history.get(version=1)
    table = first._meta.db_table
    _as_superuser((f"UPDATE {table} SET title = %s WHERE history_id = %s",  # noqa: S608
                   ["No shelling near Shusha", first.history_id]), tables=[table])

    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_log", stdout=io.StringIO(), stderr=stderr)
    assert f"revision {first.revision_id} (leaf 1) was altered" in stderr.getvalue()

    export = tmp_path / "export.jsonl"
    call_command("export_log", str(export), stderr=io.StringIO())
    code, out = _standalone("--server", live_server.url, "--key", checkpoints.signing_key().verifier(),
                            "--log", str(export), capsys=capsys)
    assert code == 1
    assert f"leaf 1: revision {first.revision_id} by" in out and "was ALTERED after it was signed" in out
    assert "'Shelling reported near Shusha', now 'No shelling near Shusha'" in out


def test_deleting_the_last_revision_makes_the_next_checkpoint_inconsistent(
        history, live_server, editor, tmp_path, capsys):
    key = checkpoints.signing_key().verifier()
    state = str(tmp_path / "state.json")
    assert _standalone("--server", live_server.url, "--key", key, "--state", state, capsys=capsys)[0] == 0

    last = Revision.objects.latest("id")
    leaf = LogLeaf.objects.get(revision=last)
    story = last.story_link.story
    keys = [tree.node_key(level, leaf.index >> level) for level in range(41)]
    _as_superuser(
        ("DELETE FROM record_lognode WHERE key = ANY(%s)", [keys]),
        ("DELETE FROM record_logleaf WHERE index = %s", [leaf.index]),
        ("DELETE FROM events_storyrevision WHERE revision_id = %s", [last.id]),
        ("DELETE FROM events_historicalstory WHERE revision_id = %s", [last.id]),
        ("DELETE FROM events_story WHERE id = %s", [story.id]),
        ("DELETE FROM record_revision WHERE id = %s", [last.id]),
        tables=["record_lognode", "record_logleaf", "events_storyrevision", "events_historicalstory",
                "record_revision"],
    )
    make_story(author=editor, slug="after-the-deletion")
    make_story(author=editor, slug="and-one-more")
    assert checkpoints.publish_checkpoint().size == 5

    code, out = _standalone("--server", live_server.url, "--key", key, "--state", state, capsys=capsys)
    assert code == 1
    assert "The log of 5 leaves is NOT CONSISTENT with the 4 leaves you saw on" in out

    stderr = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_log", stdout=io.StringIO(), stderr=stderr)
    assert "checkpoint 4: its root is not the root of the first 4 leaves" in stderr.getvalue()


def test_an_untouched_log_verifies_from_its_tiles_alone(history, live_server, tmp_path, capsys):
    key = checkpoints.signing_key().verifier()
    code, out = _standalone("--tiles", "--server", live_server.url, "--key", key, "--audit", "--leaf", "1",
                            "--state", str(tmp_path / "state.json"), capsys=capsys)
    assert code == 0, out
    assert "PROVEN: all 4 entries in the bundles, and the hash tiles, are exactly the signed log" in out
    assert "PROVEN: leaf 1, revision" in out


def test_a_rewritten_leaf_is_caught_from_the_tiles(history, live_server, tmp_path, capsys):
    leaf = LogLeaf.objects.get(index=1)
    line = bytes(leaf.data).replace(b"Shelling reported near Shusha", b"No shelling near Shusha")
    entry = standalone.entry_of(line)
    _as_superuser(("UPDATE record_logleaf SET data = %s, entry = %s WHERE index = 1", [line, entry]),
                  tables=["record_logleaf"])
    key = checkpoints.signing_key().verifier()
    code, out = _standalone("--tiles", "--server", live_server.url, "--key", key, "--audit", "--leaf", "1",
                            capsys=capsys)
    assert code == 1
    assert f"Leaf 1 (revision {leaf.revision_id} (line SHA-256" in out and "is NOT in the signed log" in out
    assert "do not hash to the signed root: the served log is not the signed one" in out

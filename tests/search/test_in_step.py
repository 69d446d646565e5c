"""The index follows the record: every commit, never a rollback, a replayed log; the rebuild finds drift."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from events import services
from interchange.logfile import log_lines, log_tables
from record.models import Revision
from record.summary import summary_of
from search.index import index_summary, rebuild
from search.models import Entry
from tests.factories import make_actor, make_claim, make_development, make_user
from tests.search.helpers import found

pytestmark = [pytest.mark.django_db]


def _rename(development, title, **edit):
    return services.development_update(author=make_user(), development=development,
                                       base_version=development.version, message="Edit",
                                       changes={"title": title}, **edit)


@pytest.mark.sqlite
def test_an_edit_is_searchable_as_soon_as_it_commits(committed):
    with committed():
        development = make_development(title="Talks in Brussels")
        _rename(development, "Talks in Geneva")
    assert found("Geneva") == {("development", development.id)}
    assert found("Brussels") == set()


@pytest.mark.sqlite
def test_a_rolled_back_revision_leaves_no_trace_in_the_index(committed):
    with committed():
        development = make_development(title="Talks in Brussels")
        with pytest.raises(RuntimeError), transaction.atomic():
            _rename(development, "Talks in Geneva")
            raise RuntimeError("the editor gave up")
    assert found("Geneva", history=True) == set()
    assert not rebuild(check_only=True)


@pytest.mark.sqlite
def test_a_retracted_claim_is_indexed_with_its_retraction(committed):
    with committed():
        claim = make_claim(paraphrase="Civilians were targeted in Khojaly")
        claim_services.claim_retract(author=make_user(), claim=claim, base_version=claim.version,
                                     reason="Misattributed")
    entry = Entry.objects.get(type="claim", item_id=claim.id, until_version__isnull=True)
    assert (entry.version, entry.status) == (2, "retracted")
    assert not rebuild(check_only=True)


@pytest.mark.sqlite
def test_versions_indexed_twice_or_out_of_order_end_in_step(django_capture_on_commit_callbacks):
    development = make_development(title="First")  # nothing indexed: the receiver never ran
    development = _rename(development, "Second")
    development = _rename(development, "Third")
    revisions = list(Revision.objects.order_by("id").values_list("id", flat=True))
    for revision_id in [*reversed(revisions), *revisions]:  # newest first, then each again
        index_summary(summary_of(revision_id))
    assert not rebuild(check_only=True)


@pytest.mark.sqlite
def test_the_rebuild_reports_drift_and_repairs_it(committed):
    with committed():
        development = make_development(title="Talks in Brussels")
    _rename(development, "Talks in Geneva")  # committed without its receiver: the index missed it
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("rebuild_search_index", "--check", stdout=out)
    assert "missing: 1 (development" in out.getvalue()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert found("Geneva") == {("development", development.id)}
    assert not rebuild(check_only=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="wipes the log with TRUNCATE")
def test_a_replayed_log_leaves_the_index_in_step(committed, tmp_path):
    with committed():
        development = _rename(make_development(title="Talks in Brussels"), "Talks in Geneva")
        make_claim(development=development, paraphrase="Geneva talks failed")
    path = tmp_path / "log.jsonl"
    path.write_text("".join(line + "\n" for line in log_lines()), encoding="utf-8")
    with connection.cursor() as cursor:  # an empty database, as import_log requires
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join([*log_tables(), 'search_entry', 'search_entry_actor'])} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with committed():
        call_command("import_log", str(path), stdout=io.StringIO())
    assert {kind for kind, _ in found("Geneva")} == {"development", "claim"}
    assert found("Brussels", history=True) == {("development", development.id)}
    assert not rebuild(check_only=True)


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.sqlite
@pytest.mark.parametrize("history", [1, 8])
def test_indexing_an_edit_costs_one_statement_however_long_its_history(history):
    # The measure search_index_cost. SQLite: the entry, its FTS5 row, its actors, its successors linked.
    development = make_development(title="Talks", actors=[make_actor(), make_actor()])
    for n in range(history):
        development = _rename(development, f"Talks, round {n}")
    for revision_id in Revision.objects.order_by("id").values_list("id", flat=True):
        index_summary(summary_of(revision_id))
    development = _rename(development, "Talks in Geneva")
    summary = summary_of(Revision.objects.latest("id").id)
    with CaptureQueriesContext(connection) as queries:
        assert index_summary(summary) == 1
    assert len(_statements(queries)) == (1 if connection.vendor == "postgresql" else 4)
    assert found("Geneva") == {("development", development.id)}
    assert not rebuild(check_only=True)

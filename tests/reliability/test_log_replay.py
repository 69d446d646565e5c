"""The log is the backup: export it, replay it into an empty database, get the same tracker back."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from claims import services as claim_services
from claims.models import Claim
from claims.selectors import claim_threads
from drafts import services as draft_services
from drafts.models import DraftRevision
from events import services
from events.models import Actor, Development, Source, Story
from events.selectors import story_as_of, story_timeline
from interchange.logfile import database_is_empty, log_lines, log_tables
from record.models import Revision
from record.registry import versioned_models
from record.selectors import history_model
from record.versioning import revision
from tests.factories import (
    make_actor,
    make_claim,
    make_development,
    make_reviewer,
    make_source,
    make_story,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="wipes tables with TRUNCATE"),
]

ACLED = Path(__file__).resolve().parents[1] / "interchange" / "fixtures"
ARMENIAN = "Լեռնային Ղարաբաղ, Ստեփանակերտ"
AZERBAIJANI = "Qarabağ, Xankəndi, Şuşa: atəşkəs əldə olundu"
RUSSIAN = "Нагорный Карабах: прекращение огня"


def _at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def rich_log(demo_story, editor):
    """The demo story, then edits, a correction, retractions, restores and claims with sources."""
    development = Development.objects.filter(story=demo_story).order_by("id").first()
    development = services.development_update(
        author=editor, development=development, base_version=development.version,
        kind=Revision.Kind.CORRECTION, message=f"Correction: {RUSSIAN}",
        changes={"location": ARMENIAN, "summary": f"{development.summary} {AZERBAIJANI}"},
        at=_at(22, 9),
    )
    development = services.development_retract(
        author=editor, development=development, base_version=development.version,
        reason="Retracted pending confirmation", at=_at(22, 10),
    )
    services.development_restore(
        author=editor, development=development, version=1, base_version=development.version,
        message="Restored the first report", at=_at(22, 11),
    )
    # A rolled-back revision burns an id: the log must keep the gap, not close it.
    with (pytest.raises(RuntimeError), transaction.atomic(),
          revision(author=editor, message="Abandoned", kind=Revision.Kind.UPDATE)):
        raise RuntimeError("the editor gave up")
    mixed = make_story(author=editor, slug="mixed-scripts", title=ARMENIAN, summary=RUSSIAN)
    actor = make_actor(author=editor, name=AZERBAIJANI, role=RUSSIAN)
    first, second = make_source(author=editor, outlet=ARMENIAN), make_source(author=editor)
    event = make_development(story=mixed, author=editor, title=RUSSIAN, actors=[actor],
                             sources=[first, second])
    allegation = make_claim(event, author=editor, actor=actor, paraphrase=ARMENIAN,
                            quote=AZERBAIJANI, sources=[first, second])
    denial = make_claim(event, author=editor, paraphrase=RUSSIAN, responds_to=allegation,
                        response_relation=Claim.Relation.DENIES, sources=[second])
    allegation = claim_services.claim_verify(
        author=editor, claim=allegation, base_version=allegation.version,
        verification=Claim.Verification.DISPUTED, note=RUSSIAN, message="Disputed",
    )
    claim_services.claim_update(
        author=editor, claim=denial, base_version=denial.version, message="Typo",
        changes={"sources": [first]}, minor=True,
    )
    allegation = claim_services.claim_retract(
        author=editor, claim=allegation, base_version=allegation.version, reason="Withdrawn",
    )
    claim_services.claim_restore(
        author=editor, claim=allegation, version=2, base_version=allegation.version,
        message="Reinstated",
    )
    services.actor_update(
        author=editor, actor=actor, base_version=actor.version, message="Role",
        changes={"role": ARMENIAN},
    )
    services.source_update(
        author=editor, source=second, base_version=second.version, message="URL",
        changes={"url": "https://example.org/report"},
    )
    # Issue 19's data: an ACLED import (bulk versions, week and month precision, places,
    # kept columns), its deletion sync, and a ranged figure beside an original-language quote.
    for extra in ([], ["--deletions", str(ACLED / "acled_deletions.csv")]):
        call_command("import_acled", str(ACLED / "acled_sample.csv"), "--story", mixed.slug,
                     "--author", editor.username, *extra, stdout=io.StringIO())
    make_claim(event, author=editor, actor=actor, quote="We will not leave.", quote_original=ARMENIAN,
               quote_language="hy", quote_translator="the newsroom", figure_low=100, figure_best=120,
               figure_high=150, figure_qualifier=Claim.Qualifier.APPROXIMATELY, figure_unit="deaths",
               figure_group="civilians", figure_note="'Over a hundred' coded as 100.")
    # "What we know", a key development, and a correction drafted, reviewed and published:
    # the revision names who drafted and who reviewed it.
    briefing = services.briefing_create(author=editor, story=mixed, message="Pinned", text=RUSSIAN)
    services.development_update(author=editor, development=event, base_version=event.version,
                                message="Key", changes={"key_event": True})
    draft = draft_services.draft_create(
        author=editor, item_type="events.briefing", item=briefing, kind=Revision.Kind.CORRECTION,
        message="Corrected summary", values={"text": ARMENIAN})
    draft_services.draft_submit(draft=draft, user=editor)
    reviewer = make_reviewer()
    draft_services.draft_approve(draft=draft, reviewer=reviewer)
    draft_services.draft_publish(draft=draft, publisher=reviewer)
    return "".join(line + "\n" for line in log_lines())


def _row(obj, *, skip=("history_id", "history_user")) -> dict:
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
              if f.name not in skip}
    return values


def _history_row(row) -> dict:
    values = _row(row)
    for field in type(row).instance_type._meta.many_to_many:
        target = field.m2m_reverse_field_name() + "_id"
        values[field.name] = sorted(getattr(m, target) for m in getattr(row, field.name).all())
    return values


def _as_of_views() -> dict:
    views = {}
    for upto in Revision.objects.values_list("id", flat=True):
        for story in Story.objects.order_by("id"):
            timeline = story_timeline(story, upto=upto)
            threads = claim_threads([row.id for row in timeline], upto=upto)
            as_of = story_as_of(story, upto)
            views[(upto, story.pk)] = {
                "story": _row(as_of) if as_of else None,
                "timeline": [_row(row) for row in timeline],
                "threads": {
                    dev: [(_row(t.claim), [_row(r) for r in t.responses]) for t in dev_threads]
                    for dev, dev_threads in threads.items()
                },
            }
    return views


def story_id_of(revision) -> int | None:
    link = getattr(revision, "story_link", None)
    return link.story_id if link else None


def _snapshot() -> dict:
    """Everything a reader or client can see: current state, history, revisions, as-of views."""
    return {
        "revisions": [
            (r.id, r.created_at, r.author.username, r.message, r.kind, r.minor, story_id_of(r))
            for r in Revision.objects.select_related("author", "story_link").order_by("id")
        ],
        "current": {
            model.__name__: [
                {**_row(item), **{f.name: sorted(getattr(item, f.name).values_list("pk", flat=True))
                                  for f in model._meta.many_to_many}}
                for item in model.objects.order_by("pk")
            ]
            for model in versioned_models()
        },
        "history": {
            model.__name__: [_history_row(row) for row in
                             history_model(model).objects.order_by("id", "version")]
            for model in versioned_models()
        },
        "as_of": _as_of_views(),
        "drafted": [(link.revision_id, link.drafted_by.username, link.reviewed_by.username)
                    for link in DraftRevision.objects.select_related("drafted_by", "reviewed_by")
                    .order_by("revision_id")],
    }


def _wipe() -> None:
    # The append-only triggers refuse DELETE; TRUNCATE is the deliberate way to empty
    # the log (pending deferred FK checks must fire first, or PostgreSQL refuses it).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {', '.join(log_tables())} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert database_is_empty()


def _import(text: str, tmp_path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(text, encoding="utf-8")
    call_command("import_log", str(path), stdout=io.StringIO())


def test_replay_into_an_empty_database_gives_the_same_state_history_and_as_of_views(rich_log, tmp_path):
    before = _snapshot()
    _wipe()
    _import(rich_log, tmp_path)
    after = _snapshot()
    assert after["revisions"] == before["revisions"]
    assert after["current"] == before["current"]
    assert after["history"] == before["history"]
    assert after["as_of"] == before["as_of"]


def test_export_import_export_gives_a_byte_identical_file(rich_log, tmp_path):
    first = tmp_path / "first.jsonl"
    call_command("export_log", str(first), stderr=io.StringIO())
    _wipe()
    call_command("import_log", str(first), stdout=io.StringIO())
    second = tmp_path / "second.jsonl"
    call_command("export_log", str(second), stderr=io.StringIO())
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8") == rich_log


def test_revision_id_gaps_are_kept_and_new_writes_continue_after_the_replayed_ids(
        rich_log, tmp_path, editor):
    ids = list(Revision.objects.values_list("id", flat=True))
    assert ids != list(range(1, len(ids) + 1)), "the fixture should leave a gap"
    top_development = Development.objects.order_by("-pk").first().pk
    _wipe()
    _import(rich_log, tmp_path)
    assert list(Revision.objects.values_list("id", flat=True)) == ids
    story = Story.objects.get(slug="mixed-scripts")
    added = make_development(story=story, author=editor)
    assert added.pk > top_development
    assert added.history.get().revision_id > ids[-1]


def test_mixed_script_text_round_trips_intact(rich_log, tmp_path):
    assert ARMENIAN in rich_log and AZERBAIJANI in rich_log and RUSSIAN in rich_log  # not \u-escaped
    _wipe()
    _import(rich_log, tmp_path)
    assert Story.objects.get(slug="mixed-scripts").title == ARMENIAN
    assert Actor.objects.get(name=AZERBAIJANI).role == ARMENIAN
    assert Source.objects.filter(outlet=ARMENIAN).exists()
    assert Revision.objects.filter(message=f"Correction: {RUSSIAN}").exists()
    assert Claim.objects.get(paraphrase=ARMENIAN).quote == AZERBAIJANI


def test_export_writes_json_lines_to_standard_output_by_default(rich_log):
    out = io.StringIO()
    call_command("export_log", stdout=out)
    lines = out.getvalue().splitlines()
    assert out.getvalue() == rich_log
    entries = [json.loads(line) for line in lines[1:]]
    assert [e["revision"] for e in entries] == list(Revision.objects.values_list("id", flat=True))
    assert entries[0]["author"] == "newsdesk" and entries[0]["story"] == "karabakh-2023"


def test_import_refuses_a_database_that_is_not_empty_and_changes_nothing(rich_log, tmp_path):
    count = Revision.objects.count()
    path = tmp_path / "log.jsonl"
    path.write_text(rich_log, encoding="utf-8")
    with pytest.raises(CommandError, match="empty database"):
        call_command("import_log", str(path))
    assert Revision.objects.count() == count


def test_import_refuses_a_file_that_is_not_a_revision_log(db, tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"hello": "world"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Line 1 is not a tracker-revision-log"):
        call_command("import_log", str(path))
    assert database_is_empty()


def test_a_broken_line_is_refused_with_its_number_and_nothing_is_imported(rich_log, tmp_path):
    lines = rich_log.splitlines()
    lines[3] = lines[3][:-5]
    _assert_import_refused(lines, tmp_path, "Line 4 is not JSON")


def test_a_line_with_a_control_character_is_refused_and_nothing_is_imported(rich_log, tmp_path):
    lines = rich_log.splitlines()
    entry = json.loads(lines[1])
    entry["versions"][0]["fields"]["title"] += "\x07"
    lines[1] = json.dumps(entry)
    _assert_import_refused(lines, tmp_path, "Line 2 cannot be replayed.*U\\+0007")


def _assert_import_refused(lines: list[str], tmp_path, match: str) -> None:
    _wipe()
    path = tmp_path / "refused.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=match):
        call_command("import_log", str(path))
    assert database_is_empty()


def _leaves_and_root() -> tuple[list[tuple[int, int, bytes]], bytes]:
    from publiclog import proofs
    from record import tree
    from record.models import LogLeaf

    leaves = [(leaf.index, leaf.revision_id, bytes(leaf.data)) for leaf in LogLeaf.objects.order_by("index")]
    return leaves, proofs.root(tree.tree_size())


def test_replay_reproduces_the_same_leaves_and_the_same_root(rich_log, tmp_path):
    leaves, root = _leaves_and_root()
    assert [index for index, _, _ in leaves] == list(range(Revision.objects.count()))
    _wipe()
    _import(rich_log, tmp_path)
    assert _leaves_and_root() == (leaves, root)


def test_a_week_that_leaves_the_calendar_is_refused_by_replay_and_nothing_is_imported(rich_log, tmp_path):
    lines = rich_log.splitlines()
    number, entry = next((n, json.loads(line)) for n, line in enumerate(lines) if n and any(
        version["model"] == "events.development" for version in json.loads(line)["versions"]))
    version = next(v for v in entry["versions"] if v["model"] == "events.development")
    version["fields"].update(occurred_at="9999-12-31T00:00:00Z", occurred_precision="week")
    lines[number] = json.dumps(entry)
    _assert_import_refused(lines, tmp_path, f"Line {number + 1} cannot be replayed.*31 Dec 9999")

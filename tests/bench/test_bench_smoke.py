"""The benchmark code runs end to end at a tiny size (no timing asserts: benchmarks are not tests)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection  # noqa: F401 (read by the skipif condition)

from bench.generate import generate_story
from bench.run import ALL_MEASURES, run
from claims.models import Claim
from events.models import Development
from record.models import Revision
from tests.factories import make_development

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the floor INSERT uses psycopg"),
]


def test_the_tiny_run_reports_every_measure_with_name_ratio_target_and_holds(tmp_path):
    out = tmp_path / "report.json"
    run("tiny", out=out, load=False, log=lambda *_: None)  # load serves the real DB over HTTP
    report = json.loads(out.read_text(encoding="utf-8"))
    names = [m["name"] for m in report]
    # Two measures report two results each: the import's and the digests'.
    assert names == [*(m.__name__ for m in ALL_MEASURES[:-2]), "import_rows", "import_resync",
                     "digest_build", "digest_send"]
    for measure in report:
        assert {"name", "ratio", "target", "holds"} <= measure.keys()
        assert measure["available"] == (measure["ratio"] is not None), measure
    measured = {m["name"]: m for m in report if m["available"]}
    assert {"write_cost", "depth_timeline", "depth_development", "time_travel", "page_depth_timeline",
            "page_depth_development", "page_depth_changes", "page_time_travel", "cursor_depth",
            "import_rows", "import_resync", "digest_build", "digest_send"} <= measured.keys()
    assert measured["write_cost"]["case"]["queries"] > 0  # query counts sit beside each figure
    assert measured["write_cost"]["details"]["revisions_per_s"] > 0
    assert measured["import_rows"]["details"]["rows"] == 200  # the tiny size's generated ACLED rows
    # Beside the figure, what an event becomes in the record: the rows written per table.
    written = measured["import_rows"]["details"]["written_by_table"]
    assert written["events_development"] == written["events_historicaldevelopment"] == 200
    assert written["claims_claim"] == written["claims_historicalclaim"] == 200
    assert measured["import_rows"]["details"]["rows_written"] == sum(written.values())
    assert measured["import_memory"]["details"]["rows"] == [30, 300]  # each imported by its own process


def test_only_runs_the_measures_named(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CAPTURES", "3")
    out = tmp_path / "report.json"
    run("tiny", out=out, load=False, only=["capture_throughput"], log=lambda *_: None)
    assert [m["name"] for m in json.loads(out.read_text(encoding="utf-8"))] == ["capture_throughput"]


def test_only_refuses_a_measure_that_does_not_exist(tmp_path):
    with pytest.raises(ValueError, match="No measure named nope"):
        run("tiny", out=tmp_path / "report.json", load=False, only=["nope"], log=lambda *_: None)


def test_a_deep_story_and_its_shallow_twin_have_the_same_current_state():
    deep = generate_story(slug="deep", developments=3, claims=6, versions=3, per_revision=2)
    flat = generate_story(slug="flat", developments=3, claims=6, versions=3, current_only=True)

    def state(story, model, *fields):
        return list(model.objects.filter(**{"story" if model is Development else "development__story":
                                            story}).order_by("id").values_list(*fields))

    assert state(deep.story, Development, "title", "summary", "status") == \
        state(flat.story, Development, "title", "summary", "status")
    assert state(deep.story, Claim, "paraphrase", "verification", "figure_low") == \
        state(flat.story, Claim, "paraphrase", "verification", "figure_low")
    assert {d.version for d in Development.objects.filter(story=deep.story)} == {3}
    assert {d.version for d in Development.objects.filter(story=flat.story)} == {1}


def test_generate_story_batches_items_into_few_revisions():
    out = io.StringIO()
    call_command("generate_story", "--slug", "gen", "--developments", "4", "--claims", "6",
                 "--versions", "2", "--per-revision", "5", stdout=out)
    assert "4 developments, 6 claims, 2 versions each (20 versions" in out.getvalue()
    # story + actors/sources + 1 + 2 creation batches + 1 + 2 update batches
    assert Revision.objects.count() == 8


def test_generate_story_refuses_a_slug_in_use():
    generate_story(slug="taken", developments=1, claims=0, versions=1)
    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_story", "--slug", "taken", "--developments", "1")


def test_capture_throughput_captures_from_a_local_server_and_reports_captures_per_second(monkeypatch):
    from archive.models import Capture
    from bench.archive import capture_throughput
    from bench.setup import SIZES, Bench
    from tests.factories import make_user

    monkeypatch.setenv("BENCH_CAPTURES", "6")
    bench = Bench(deep=None, feed_story=None, flat=None, writes=None, author=make_user(), deep_versions=1,
                  size=SIZES["tiny"], read_repeat=1, write_repeat=1, generated_in_s=0)
    result = capture_throughput(bench)
    assert result.name == "capture_throughput" and result.at_least and result.target == 0.5
    assert result.ratio is not None and result.details["captures_per_s"] > 0
    assert result.details["fetch_warc_file_ratio"] > 0
    assert result.details["serial_backfill_ratio"] > 0 and result.details["single_capture_ratio"] > 0
    # Backfill runs of 1 at this size: 1 counted, 1 warm-up, 4 timed; 2 fetching one at a
    # time (1 warm-up, 1 timed); 3 captures at citation (1 counted, 1 warm-up, 1 timed).
    assert Capture.objects.filter(outcome="captured").count() == 6 + 2 + 3


def test_the_in_process_poll_measure_times_the_floor_the_304_and_the_200(settings, capsys):
    from bench import in_process

    settings.ROOT_URLCONF = "bench.urls"
    make_development()
    in_process.main(requests=3, rounds=1)
    printed = capsys.readouterr().out
    assert "floor" in printed and "ratio 304" in printed and "ratio 200" in printed

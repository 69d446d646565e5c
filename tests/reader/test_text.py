"""Reader text (reader.text, reader.dates): one way a stored value reads, on pages, in email, at the desk."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from digests.builder import build_window
from digests.email import render_digest_html
from events import services
from events.models import Actor, Development, Source
from reader.dates import news_date, news_time
from reader.text import References, reader_diff, value_text
from record.selectors import item_versions
from tests.digests.helpers import cursor, revise, story_entry
from tests.factories import make_actor, make_claim, make_development, make_source, make_story

pytestmark = pytest.mark.django_db

EVENING = dt.datetime(2023, 9, 20, 18, 0, tzinfo=dt.UTC)


def test_dates_read_in_house_style():
    assert news_date(dt.date(2023, 9, 21)) == "21 Sept 2023"
    assert news_time(EVENING) == "20 Sept 2023, 18:00 UTC"


def test_a_choice_reads_as_its_label():
    assert value_text(Development, "kind", "military_action") == "Military action"
    assert value_text(Claim, "verification", "disputed") == "Disputed"


def test_references_read_as_names():
    actor = make_actor(name="Foreign ministry", role="Spokesperson")
    source = make_source(outlet="Reuters", title="Talks begin")
    development = make_development(title="Talks in Yevlakh")
    assert value_text(Development, "actors", [actor.pk]) == "Foreign ministry"
    assert value_text(Development, "sources", [source.pk]) == "Reuters: Talks begin"
    assert value_text(Claim, "development", development.pk) == "Talks in Yevlakh"


def test_nothing_reads_as_empty_text():
    assert value_text(Development, "ended_at", None) == ""
    assert value_text(Development, "actors", []) == ""


def test_references_of_many_values_take_one_query_per_model():
    actors = [make_actor() for _ in range(12)]
    sources = [make_source() for _ in range(12)]
    wanted = [(Development, "actors", [a.pk for a in actors[:6]]),
              (Development, "actors", [a.pk for a in actors[6:]]),
              (Claim, "actor", actors[0].pk),
              *((Development, "sources", [s.pk]) for s in sources)]
    with CaptureQueriesContext(connection) as queries:
        references = References(wanted)
    assert len(queries) == 2
    assert references.name(Actor, actors[3].pk) == actors[3].name
    assert references.name(Source, sources[5].pk) == str(sources[5])


def test_a_diff_reads_choices_and_references_in_words(editor):
    actor = make_actor(name="Armenian government")
    development = make_development(author=editor, kind="statement")
    services.development_update(author=editor, development=development, base_version=1,
                                message="An offensive", changes={"kind": "military_action",
                                                                 "actors": [actor]})
    older, newer = item_versions(Development, development.pk)
    shown = {change.field: (change.before, change.after) for change in reader_diff(older, newer)}
    assert shown["kind"] == ("Statement", "Military action")
    assert shown["actors"] == ("", "Armenian government")


def test_email_and_the_page_write_the_same_date_the_same_way(client, editor):
    story = make_story(author=editor)
    development = make_development(story, author=editor, occurred_at=EVENING,
                                   occurred_precision="minute")
    start = cursor()
    revise(development, editor, ended_at=EVENING + dt.timedelta(days=1, hours=2))
    email = render_digest_html(build_window(start, cursor()))
    page = client.get(development.get_absolute_url() + "diff/?from=1&to=2").content.decode()
    assert "21 Sept 2023, 20:00 UTC" in email
    assert "21 Sept 2023, 20:00 UTC" in page


def test_a_new_development_reads_in_the_digest_as_it_does_on_its_page(client, editor):
    story = make_story(author=editor)
    start = cursor()
    development = make_development(story, author=editor, occurred_at=EVENING)
    [entry] = story_entry(build_window(start, cursor()), story.slug)["new_developments"]
    page = client.get(development.get_absolute_url()).content.decode()
    assert entry["occurred"] == "20 Sept 2023"  # was "20 September 2023" in email
    assert f">{entry['occurred']}</time>" in page


def test_a_claim_figure_reads_as_figure_text():
    claim = make_claim(make_development(), claim_type="figure", figure_low=1200,
                       figure_qualifier="at_least", figure_unit="deaths")
    assert value_text(Claim, "figure_low", claim.figure_low) == "1,200"
    assert claim.figure_display() == "at least 1,200 deaths"

"""Contested figures side by side with their chart, original-language quotes, dates as precise as known."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from claims.models import Claim
from pages.charts import figure_chart
from pages.selectors import story_page
from tests.factories import make_actor, make_claim, make_development, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def contested(editor):
    story = make_story(author=editor, slug="figures")
    development = make_development(story, author=editor)
    ministry, monitor = make_actor(author=editor, name="Ministry"), make_actor(author=editor, name="Monitor")
    make_claim(development, author=editor, actor=ministry, made_on=dt.date(2023, 9, 19), claim_type="figure",
               figure_unit="deaths", figure_group="civilians", figure_low=10,
               figure_qualifier=Claim.Qualifier.AT_LEAST)
    make_claim(development, author=editor, actor=monitor, made_on=dt.date(2023, 9, 21), claim_type="figure",
               figure_unit="deaths", figure_group="civilians", figure_low=25, figure_best=30, figure_high=40,
               figure_qualifier=Claim.Qualifier.APPROXIMATELY, figure_note="'Dozens' coded as 25.")
    make_claim(development, author=editor, actor=monitor, made_on=dt.date(2023, 9, 21), claim_type="figure",
               figure_unit="deaths", figure_group="combatants", figure_best=7,
               figure_qualifier=Claim.Qualifier.EXACT)
    make_claim(development, author=editor, actor=ministry, made_on=dt.date(2023, 9, 22), claim_type="figure",
               figure_unit="deaths", figure_group="combatants", figure_qualifier=Claim.Qualifier.UNSPECIFIED)
    return story, development


def test_contested_figures_are_grouped_by_unit_and_group(contested):
    story, _ = contested
    groups = {(f.unit, f.group): len(f.claims) for f in story_page(story).figures}
    assert groups == {("deaths", "civilians"): 2, ("deaths", "combatants"): 2}


def test_the_story_page_shows_each_partys_range_side_by_side_with_a_chart(client, contested):
    story, _ = contested
    html = client.get(f"/stories/{story.slug}/").content.decode()
    assert "about 30 (25–40) deaths of civilians" in html and "at least 10 deaths of civilians" in html
    assert html.count('<svg viewBox') == 2 and 'role="img"' in html


def test_the_chart_has_its_own_page_with_a_table_of_the_same_data(client, contested):
    story, development = contested
    html = client.get(f"/stories/{story.slug}/developments/{development.id}/figures/deaths-civilians/"
                      ).content.decode()
    assert "<table class=\"chart-data\">" in html and "&#x27;Dozens&#x27; coded as 25." in html
    assert re.search(r"<td>25</td><td>30</td><td>40</td>", html)


def test_an_unknown_figure_has_no_page(client, contested):
    story, development = contested
    url = f"/stories/{story.slug}/developments/{development.id}/figures/injured/"
    assert client.get(url).status_code == 404


def test_the_chart_draws_ranges_open_ends_and_numbers_not_given(contested):
    story, _ = contested
    charts = {f.group: figure_chart(f) for f in story_page(story).figures}
    at_least, ranged = charts["civilians"].marks
    assert at_least.open_top and at_least.y_best is None
    assert ranged.y_low > ranged.y_best > ranged.y_high  # SVG's y grows downwards
    assert at_least.colour != ranged.colour
    exact, unspecified = charts["combatants"].marks
    assert exact.given and not unspecified.given


def test_an_original_quote_is_shown_with_its_language_and_direction(client, editor):
    development = make_development(make_story(author=editor), author=editor)
    make_claim(development, author=editor, quote="We will not leave our homes.",
               quote_original="لن نترك بيوتنا", quote_language="ar", quote_translator="the newsroom")
    html = client.get(f"/stories/{development.story.slug}/").content.decode()
    assert '<blockquote class="quote quote-original" lang="ar" dir="rtl">' in html
    assert '<blockquote class="quote quote-translation" lang="en" dir="ltr">' in html
    assert "Translated by the newsroom" in html


def test_the_api_carries_the_original_quote_and_the_figures_bounds(client, contested, editor):
    story, development = contested
    make_claim(development, author=editor, quote="We hold the line.", quote_original="Մենք պահում ենք",
               quote_language="hy", quote_translator="Test Wire")
    claims = client.get(f"/api/claims/?development={development.id}").json()["results"]
    quoted = next(c for c in claims if c["quote_original"])
    assert (quoted["quote_language"], quoted["quote_translator"]) == ("hy", "Test Wire")
    ranged = next(c for c in claims if c["figure_high"] == 40)
    assert (ranged["figure_low"], ranged["figure_best"], ranged["figure_group"]) == (25, 30, "civilians")


def test_json_ld_names_the_quotes_language(client, editor):
    development = make_development(make_story(author=editor), author=editor)
    claim = make_claim(development, author=editor, quote="We hold the line.",
                       quote_original="Մենք պահում ենք", quote_language="hy",
                       quote_translator="the newsroom", verification="confirmed")
    html = client.get(f"/stories/{development.story.slug}/claims/{claim.id}/").content.decode()
    blocks = [json.loads(block) for block in
              re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    review = next(b for b in blocks if b.get("@type") == "ClaimReview")
    assert review["itemReviewed"]["inLanguage"] == "hy"
    assert review["itemReviewed"]["workTranslation"]["inLanguage"] == "en"


@pytest.mark.parametrize(("precision", "shown", "machine"), [
    ("week", "week of 18–24 Sept 2023", "2023-W38"),
    ("month", "Sept 2023", "2023-09"),
])
def test_a_week_or_month_is_shown_no_more_precisely_than_known(client, editor, precision, shown, machine):
    development = make_development(make_story(author=editor), author=editor, occurred_precision=precision,
                                   occurred_at=dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    html = client.get(f"/stories/{development.story.slug}/").content.decode()
    assert f'<time datetime="{machine}">{shown}</time>' in html
    api = client.get(f"/api/developments/{development.id}/").json()
    assert api["occurred"] == machine


def test_timelinejs_gives_a_month_precise_event_no_day(client, editor):
    development = make_development(make_story(author=editor), author=editor, occurred_precision="month",
                                   occurred_at=dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    events = client.get(f"/stories/{development.story.slug}/timeline.json").json()["events"]
    assert events[0]["start_date"] == {"year": 2023, "month": 9}

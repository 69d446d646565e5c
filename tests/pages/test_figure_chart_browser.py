"""The figure chart in a real browser (Debian's Chromium, no JavaScript): drawn, labelled, screenshotted."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim
from tests.browser import SCREENSHOTS
from tests.factories import make_actor, make_claim, make_development, make_story

pytestmark = [pytest.mark.browser]


@pytest.fixture
def figure(transactional_db, editor):
    story = make_story(author=editor, slug="chart")
    development = make_development(story, author=editor, title="Shelling of the town")
    said = [("Ministry", 19, {"figure_low": 10, "figure_qualifier": Claim.Qualifier.AT_LEAST}),
            ("Monitor", 20, {"figure_low": 25, "figure_best": 30, "figure_high": 40,
                             "figure_qualifier": Claim.Qualifier.APPROXIMATELY}),
            ("Separatists", 21, {"figure_qualifier": Claim.Qualifier.UNSPECIFIED}),
            ("Monitor", 22, {"figure_low": 35, "figure_best": 38, "figure_high": 45,
                             "figure_qualifier": Claim.Qualifier.APPROXIMATELY})]
    actors = {name: make_actor(author=editor, name=name) for name in {n for n, _, _ in said}}
    for name, day, figure in said:
        make_claim(development, author=editor, actor=actors[name], made_on=dt.date(2023, 9, day),
                   claim_type="figure", figure_unit="deaths", figure_group="civilians", **figure)
    return story, development


def test_the_chart_page_draws_each_claim_in_its_actors_colour_with_its_table(browser, live_server, figure):
    story, development = figure
    context = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/stories/{story.slug}/developments/{development.id}/figures/deaths-civilians/")
    svg = page.locator(".figure-chart svg")
    assert svg.get_attribute("role") == "img"
    box = svg.bounding_box()
    assert box["width"] > 500 and box["height"] > 150  # drawn, not collapsed
    assert page.locator("g.chart-claim").count() == 4
    marks = page.locator("g.chart-claim line, g.chart-claim circle")
    colours = {value for i in range(marks.count()) for name in ("stroke", "fill")
               if (value := marks.nth(i).get_attribute(name)) and value != "#fff"}
    assert len(colours) == 3  # one per actor
    labels = svg.locator("text").all_text_contents()
    assert "Monitor: about 30 (25–40) deaths of civilians" in labels
    assert page.locator("table.chart-data tbody tr").count() == 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "figure-chart.png"), full_page=True)
    page.goto(f"{live_server.url}/stories/{story.slug}/")
    assert page.locator(".story-aside .figure-chart svg").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "figure-chart-story.png"), full_page=True)
    context.close()

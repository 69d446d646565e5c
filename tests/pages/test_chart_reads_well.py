"""The figures chart reads well (issue 25, item 13): labels inside the chart, the page's fonts, a single
report said in words, and a chart that fits a phone. In Chromium, at desktop and phone widths."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.models import Claim
from tests.browser import SCREENSHOTS
from tests.factories import make_actor, make_claim, make_development, make_story
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]

LONG = "The Human Rights Defender of the unrecognised republic"


def said(development, editor, reports):
    actors = {}
    for name, day, figure in reports:
        actor = actors.get(name) or actors.setdefault(name, make_actor(author=editor, name=name))
        make_claim(development, author=editor, actor=actor, made_on=dt.date(2023, 9, day),
                   claim_type="figure", figure_unit="deaths", **figure)


@pytest.fixture
def chart_url(transactional_db, live_server, editor):
    story = make_story(author=editor, slug="chart")
    development = make_development(story, author=editor, title="Death toll of the offensive unclear")
    said(development, editor, [
        (LONG, 19, {"figure_low": 200, "figure_qualifier": Claim.Qualifier.AT_LEAST}),
        ("Azerbaijan's defence ministry", 20, {"figure_qualifier": Claim.Qualifier.UNSPECIFIED}),
        (LONG, 21, {"figure_low": 180, "figure_best": 200, "figure_high": 230,
                    "figure_qualifier": Claim.Qualifier.APPROXIMATELY}),
    ])
    return f"{live_server.url}/stories/chart/developments/{development.id}/figures/deaths/"


def test_no_label_runs_out_of_the_chart(tab, chart_url):
    tab.goto(chart_url)
    outside = tab.evaluate("""() => {
        const svg = document.querySelector(".figure-chart svg");
        const view = svg.viewBox.baseVal;
        return [...svg.querySelectorAll("text")].map(t => [t.textContent, t.getBBox()])
          .filter(([, b]) => b.width > 0 && (b.x < view.x || b.x + b.width > view.x + view.width))
          .map(([text]) => text);
    }""")
    assert outside == []
    labels = tab.locator(".chart-claim text").all_text_contents()
    assert f"{LONG}: at least 200 deaths" in labels  # whole, not "at least 200 dea"


def test_the_chart_and_its_table_use_the_pages_fonts(tab, chart_url):
    tab.goto(chart_url)
    fonts = tab.evaluate("""() => ({
        page: getComputedStyle(document.querySelector(".breadcrumbs")).fontFamily,
        chart: getComputedStyle(document.querySelector(".figure-chart svg text")).fontFamily,
        table: getComputedStyle(document.querySelector("table.chart-data")).fontFamily,
    })""")
    assert fonts["chart"] == fonts["page"] == fonts["table"]


def test_the_chart_scales_to_the_width_it_is_given(tab, chart_url):
    tab.goto(chart_url)
    box = tab.locator(".figure-chart svg").bounding_box()
    width = tab.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert tab.locator("table.chart-data").is_visible()
    if tab.width_name == "phone":  # too small to read there: the table says it instead
        assert not tab.locator(".chart-claim text").first.is_visible()
    assert serious_violations(tab) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"chart-{tab.width_name}.png"), full_page=True)


def test_a_single_report_is_said_in_words_not_drawn_on_an_empty_axis(tab, live_server, editor):
    story = make_story(author=editor, slug="single")
    development = make_development(story, author=editor, title="Shelling of Stepanakert")
    said(development, editor, [("Ombudsman", 19, {"figure_best": 27,
                                                  "figure_qualifier": Claim.Qualifier.EXACT})])
    tab.goto(f"{live_server.url}/stories/single/developments/{development.id}/figures/deaths/")
    assert tab.locator(".figure-chart svg").count() == 0
    assert tab.locator(".chart-single").inner_text() == (
        "One report so far: Ombudsman on 19 Sept 2023, 27 deaths.")

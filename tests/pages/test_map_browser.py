"""The story map in Chromium, at desktop and phone widths (issue 26, items 6 and 7)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from events.models import Development
from tests.browser import SCREENSHOTS
from tests.factories import make_claim, make_development, make_story
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]


@pytest.fixture
def story(transactional_db):
    story = make_story(title="The offensive in Karabakh")
    day = dt.datetime(2023, 9, 19, 6, tzinfo=dt.UTC)
    shelling = make_development(
        story=story, title="Shelling of Stepanakert", kind=Development.Kind.MILITARY_ACTION, occurred_at=day,
        location="Stepanakert", latitude=39.8177, longitude=46.7528, geo_precision="exact")
    make_claim(development=shelling, paraphrase="Residential areas were hit")
    make_development(
        story=story, title="Ceasefire agreed", kind=Development.Kind.CEASEFIRE, key_event=True,
        occurred_at=day + dt.timedelta(days=1), location="Near Shusha", latitude=39.76, longitude=46.75,
        geo_precision="near")
    make_development(
        story=story, title="Evacuation through the Lachin corridor", kind=Development.Kind.STATEMENT,
        occurred_at=day + dt.timedelta(days=5), location="Lachin district", latitude=39.64, longitude=46.55,
        geo_precision="region")
    make_development(story=story, title="Talks in Brussels", occurred_at=day + dt.timedelta(days=6))
    return story


def _open_map(tab, live_server, story, query=""):
    tab.goto(f"{live_server.url}/stories/{story.slug}/map/{query}")
    expect(tab.locator("path.map-marker")).to_have_count(3)


def test_markers_appear_for_each_place_with_its_precision(tab, live_server, story):
    _open_map(tab, live_server, story)
    expect(tab.locator("path.map-marker-exact")).to_have_count(1)
    expect(tab.locator("path.map-marker-near")).to_have_count(1)
    expect(tab.locator("path.map-marker-region")).to_have_count(1)
    expect(tab.locator(".leaflet-basemap-pane path").nth(100)).to_be_attached()  # Natural Earth countries
    expect(tab.locator(".unplaced")).to_contain_text("Talks in Brussels")
    assert serious_violations(tab) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"story-map-{tab.width_name}.png"), full_page=True)


def test_the_time_slider_hides_later_developments(tab, live_server, story):
    _open_map(tab, live_server, story)
    slider = tab.locator("#map-until")
    slider.focus()
    tab.keyboard.press("Home")
    expect(tab.locator("path.map-marker")).to_have_count(1)
    expect(tab.locator("li.place:visible")).to_have_count(1)
    expect(tab.locator("#map-until-text")).to_contain_text("1 of 3 shown")
    tab.keyboard.press("ArrowRight")
    expect(tab.locator("path.map-marker")).to_have_count(2)


def test_a_markers_card_opens_with_its_claims_and_a_link(tab, live_server, story):
    _open_map(tab, live_server, story)
    tab.locator("path.map-marker-exact").click(force=True)
    card = tab.locator(".leaflet-popup-content .map-card")
    expect(card).to_contain_text("Residential areas were hit")
    expect(card.get_by_role("link", name="Shelling of Stepanakert")).to_be_visible()
    expect(tab.locator(".leaflet-popup")).to_have_css("opacity", "1")
    assert serious_violations(tab) == []  # once the card has faded in
    tab.screenshot(path=str(SCREENSHOTS / f"story-map-card-{tab.width_name}.png"))


def test_a_keyboard_reader_opens_a_card_from_the_list(tab, live_server, story):
    _open_map(tab, live_server, story)
    tab.locator("li.place").nth(1).get_by_role("button").focus()
    tab.keyboard.press("Enter")
    expect(tab.locator(".leaflet-popup-content .map-card")).to_contain_text("Ceasefire agreed")
    assert tab.evaluate("document.activeElement.closest('.leaflet-popup') !== null")


def test_without_javascript_the_map_is_a_list_of_places(browser, live_server, story):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/stories/{story.slug}/map/")
    expect(tab.locator("li.place")).to_have_count(3)
    expect(tab.locator("#story-map")).to_be_hidden()
    expect(tab.locator("#map-until")).to_be_hidden()  # no slider or legend that cannot work
    expect(tab.locator(".map-legend")).to_be_hidden()
    expect(tab.get_by_role("button", name="Show on the map")).to_have_count(0)
    expect(tab.locator("li.place").first.get_by_role("link", name="Shelling of Stepanakert")).to_be_visible()
    expect(tab.locator(".unplaced")).to_contain_text("Talks in Brussels")
    tab.screenshot(path=str(SCREENSHOTS / "story-map-no-javascript.png"), full_page=True)
    context.close()

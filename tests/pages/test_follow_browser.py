"""Following a live story from the top, in Chromium at desktop and phone widths (issue 25, item 8):
the "Latest" jump, newest first remembered, the live bar (polite, backing off in a hidden tab) and
the changed development scrolled into view after "show"."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from events import services
from tests.browser import SCREENSHOTS
from tests.factories import make_development, make_story, make_user
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]

@pytest.fixture
def long_story(transactional_db):
    """Twelve developments on twelve days: the latest is far below the fold."""
    story = make_story(slug="long-story", title="A long offensive")
    author = make_user()
    for n in range(12):
        make_development(story=story, author=author, title=f"Day {n + 1} of the offensive",
                         summary="Shelling along the line of contact. " * 6,
                         occurred_at=dt.datetime(2023, 9, n + 1, 9, tzinfo=dt.UTC))
    return story


def test_the_latest_jump_brings_the_latest_development_into_view(tab, long_story, live_server):
    tab.goto(f"{live_server.url}/stories/long-story/")
    latest = tab.locator("ol.timeline > li").last
    expect(latest).not_to_be_in_viewport()
    tab.locator(".latest-jump a").click()
    expect(latest).to_be_in_viewport()
    assert "Day 12 of the offensive" in latest.inner_text()
    assert serious_violations(tab) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(SCREENSHOTS / f"story-latest-jump-{tab.width_name}.png"))


def test_newest_first_is_remembered_when_the_reader_goes_back_in_time(tab, long_story, live_server):
    tab.goto(f"{live_server.url}/stories/long-story/")
    tab.get_by_role("link", name="Newest first").click()
    expect(tab.locator("ol.timeline > li").first).to_contain_text("Day 12 of the offensive")
    tab.get_by_label("See the story as it was known at (UTC)").fill("2099-01-01T00:00")
    tab.get_by_role("button", name="Show").click()
    expect(tab.locator(".as-of-banner")).to_be_visible()
    assert "order=newest" in tab.url
    expect(tab.locator("ol.timeline > li").first).to_contain_text("Day 12 of the offensive")
    tab.get_by_role("link", name="See the latest version").click()
    expect(tab.locator("ol.timeline > li").first).to_contain_text("Day 12 of the offensive")
    assert serious_violations(tab) == []


def test_after_show_the_changed_development_is_scrolled_into_view_and_marked(tab, long_story, live_server):
    tab.goto(f"{live_server.url}/stories/long-story/")
    bar = tab.locator(".live-bar")
    expect(bar).to_have_attribute("aria-live", "polite")  # there from the start, so it is read out
    expect(bar).to_be_hidden()
    changed = long_story.developments.get(title="Day 10 of the offensive")
    entry = tab.locator(f"#development-{changed.id}")
    expect(entry).not_to_be_in_viewport()

    services.development_update(
        author=make_user(), development=changed, base_version=changed.version,
        message="Named the town", changes={"title": "Day 10: shelling of Stepanakert"})
    expect(bar).to_contain_text("1 new update", timeout=15_000)
    bar.get_by_role("button", name="show").click()

    expect(entry.locator(".live-label")).to_have_text("Updated")
    expect(entry).to_be_in_viewport()
    expect(entry).to_be_focused()
    expect(bar).to_be_hidden()


def test_a_hidden_tab_lets_the_stream_go_and_catches_up_when_the_reader_returns(tab, long_story, live_server):
    # A short grace period for the test; a minute in the product.
    tab.route("**/stories/long-story/", lambda route: route.fulfill(
        response=(response := route.fetch()),
        body=response.text().replace("data-live-after=", 'data-live-hidden-grace="200" data-live-after=')))
    streams = []
    tab.on("request", lambda request: streams.append(request.url) if "/live?" in request.url else None)
    with tab.expect_request(lambda request: "/live?" in request.url):
        tab.goto(f"{live_server.url}/stories/long-story/")

    def visibility(hidden: bool) -> None:
        tab.evaluate("""hidden => {
            Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
            document.dispatchEvent(new Event("visibilitychange"));
        }""", hidden)

    with tab.expect_event("requestfailed", lambda request: "/live?" in request.url):
        visibility(True)  # after the grace period the stream is let go
    make_development(story=long_story, title="Ceasefire agreed",
                     occurred_at=dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    assert len(streams) == 1
    visibility(False)
    expect(tab.locator(".live-bar")).to_contain_text("1 new update", timeout=15_000)
    assert len(streams) == 2 and "after=" in streams[1]

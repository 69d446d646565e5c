"""The search page in Chromium: a search from the box on every page, without JavaScript, at two widths."""

import pytest

from tests.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(transactional_db):
    from demo.story import load_demo

    story, _ = load_demo()  # committed for real: the index's receiver runs as in production
    return story


@pytest.mark.parametrize("width", [1280, 390])
def test_a_reader_searches_from_the_box_and_sees_marked_results_grouped_by_development(
        browser, live_server, demo, width):
    context = browser.new_context(viewport={"width": width, "height": 1000}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/stories/{demo.slug}/")
    page.fill("#site-search-q", "peacekeepers")
    page.click(".site-search button")
    page.wait_for_url("**/search/?q=peacekeepers")
    assert page.locator(".hit-group").count() >= 2
    assert page.locator(".hit mark").first.inner_text().lower().startswith("peacekeep")
    page.click(".facets a:text('claim')")
    assert page.locator(".hit .type").all_inner_texts() and {
        text.lower() for text in page.locator(".hit .type").all_inner_texts()} == {"claim"}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{width}.png"), full_page=True)
    context.close()


def test_history_says_when_the_record_first_said_it(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/search/?q=ceasefire&history=true")
    assert "First recorded" in page.locator(".hit .said").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search-history-1280.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("query", ["q=peacekeepers", "q=ceasefire&history=true", "q=%22unbalanced"])
def test_the_search_page_has_no_accessibility_violations(browser, live_server, demo, query):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 1000})  # axe runs as a script
    page = context.new_page()
    page.goto(f"{live_server.url}/search/?{query}")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    context.close()

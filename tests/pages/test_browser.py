"""A reader in a real browser (Debian's Chromium): timeline, development, history, diff, as-of.

Saves full-page screenshots at phone and desktop widths under var/screenshots/.
"""


import pytest

from tests.browser import SCREENSHOTS as SHOTS

pytestmark = [pytest.mark.browser]

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture
def demo(transactional_db, live_server):
    from demo.story import load_demo

    story, _ = load_demo()
    return story


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900},
                                  java_script_enabled=False)
    tab = context.new_page()
    yield tab
    context.close()


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_a_reader_follows_the_story_to_a_development_its_history_and_a_diff(page, demo, live_server):
    page.goto(live_server.url + "/")
    shoot(page, "front")
    page.get_by_role("link", name=demo.title).click()

    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == demo.developments.count()
    assert "Azerbaijan launches an offensive" in timeline.first.inner_text()
    assert page.locator(".badge-disputed").first.text_content() == "Disputed"
    shoot(page, "story")

    page.get_by_role("link", name="Aliyev says Karabakh belongs to Azerbaijan").click()
    assert page.locator("h1").inner_text() == "Aliyev says Karabakh belongs to Azerbaijan"
    assert "Corrected" in page.locator(".labels").inner_text()
    shoot(page, "development")

    page.get_by_role("link", name="Version history").click()
    versions = page.locator("ol.versions > li")
    assert versions.count() == 2
    assert "Correction" in versions.first.inner_text()
    shoot(page, "history")

    page.get_by_role("link", name="See what changed from version 1").click()
    assert "What changed from version 1 to 2" in page.locator("h1").inner_text()
    assert page.locator("dl.diff ins").count() >= 1 and page.locator("dl.diff del").count() >= 1
    assert "20 Sept 2023" in page.locator("dl.diff ins").first.text_content()
    shoot(page, "diff")


def test_a_reader_switches_to_a_moment_before_the_yevlakh_talks(page, demo, live_server):
    page.goto(live_server.url + demo.get_absolute_url())
    assert "Yevlakh" in page.locator("ol.timeline").inner_text()

    page.get_by_label("See the story as it was known at (UTC)").fill("2023-09-20T12:00")
    page.get_by_role("button", name="Show").click()

    banner = page.locator(".as-of-banner")
    assert "As it was known on 20 Sept 2023, 12:00 UTC" in banner.inner_text()
    assert "Yevlakh" not in page.locator("ol.timeline").inner_text()
    assert "Azerbaijan launches an offensive" in page.locator("ol.timeline").inner_text()
    shoot(page, "as-of")

    page.get_by_role("link", name="See the latest version").click()
    assert page.locator(".as-of-banner").count() == 0
    assert "Yevlakh" in page.locator("ol.timeline").inner_text()


def test_the_changelog_lists_the_correction_first(page, demo, live_server):
    page.goto(live_server.url + demo.get_absolute_url() + "changes/")
    first = page.locator(".corrections .change").first
    assert "the address was given on the evening of 20 September" in first.inner_text()
    shoot(page, "changes")

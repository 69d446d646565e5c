"""The story page's live bar in Debian's Chromium, through real Pushpin: an API edit appears as
"1 new update" without a reload, and the timeline changes only when the reader asks."""

import pytest
import requests
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from tests.browser import SCREENSHOTS
from tests.factories import make_development, make_story, make_user

pytestmark = [pytest.mark.browser]


@pytest.fixture
def tab(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _api_edit(base_url, development, **changes):
    token = Token.objects.create(user=make_user(is_staff=True, is_superuser=True)).key
    url = f"{base_url}/api/developments/{development.id}/"
    response = requests.patch(url, json={**changes, "message": "Named the town"}, timeout=10, headers={
        "Authorization": f"Token {token}", "If-Match": requests.get(url, timeout=10).headers["ETag"]})
    assert response.status_code == 200, response.text


def test_an_api_edit_shows_as_one_new_update_and_appears_after_a_click(
        transactional_db, live_server, grip, tab, settings):
    settings.REVIEW_CORRECTIONS = False  # the correction publishes at once (drafts.review)
    story = make_story()
    development = make_development(story=story, title="Shelling reported")
    tab.goto(f"{grip.url}/stories/{story.slug}/")
    heading = tab.locator(f"#development-{development.id} h3")
    expect(heading).to_have_text("Shelling reported")

    _api_edit(live_server.url, development, title="Shelling of Stepanakert", kind="correction")

    bar = tab.locator(".live-bar")
    expect(bar).to_contain_text("1 new update", timeout=15_000)
    expect(heading).to_have_text("Shelling reported")  # nothing moved under the reader's eyes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "live-bar.png"))

    bar.get_by_role("button", name="show").click()
    expect(heading).to_contain_text("Shelling of Stepanakert")
    expect(heading.locator(".live-label")).to_have_text("Corrected")
    expect(bar).to_be_hidden()


def test_a_new_development_is_marked_new_apart_from_edits(transactional_db, live_server, grip, tab):
    story = make_story()
    make_development(story=story, title="Shelling reported")
    tab.goto(f"{grip.url}/stories/{story.slug}/")
    added = make_development(story=story, title="Ceasefire announced")
    expect(tab.locator(".live-bar")).to_contain_text("1 new update", timeout=15_000)
    tab.locator(".live-bar").get_by_role("button", name="show").click()
    expect(tab.locator(f"#development-{added.id} .live-label")).to_have_text("New")

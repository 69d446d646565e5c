"""Lists and the development form read well at 1280 px (and the claims list at 390 px), in Chromium."""

from __future__ import annotations

import pytest

from tests.desk.browsing import DESKTOP, PHONE, logged_in, screenshot, serious_violations
from tests.factories import edit_many_times, make_actor, make_claim, make_development, make_editor, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_CLAIM = ("Officials said at least 200 people were killed in the first day of the offensive, "
              "a figure the ministry has not confirmed and local groups dispute")
LONG_TITLE = "Azerbaijan launches an offensive in Karabakh and shells Stepanakert, officials in Yerevan say"


@pytest.fixture
def story_with_claims():
    development = make_development(make_story(title="Karabakh, September 2023"), title=LONG_TITLE)
    for n in range(3):
        make_claim(development, actor=make_actor(name=f"Ministry spokesperson {n}"), paraphrase=LONG_CLAIM)
    return development


@pytest.fixture
def editor_page(browser, live_server):
    pages = []

    def open_at(width: int = DESKTOP):
        pages.append(logged_in(browser, live_server, make_editor(), width=width))
        return pages[-1]

    yield open_at
    for page in pages:
        page.context.close()


def _fits(page, selector: str) -> bool:
    return page.evaluate(f"""() => {{
        const e = document.querySelector("{selector}");
        return e.getBoundingClientRect().right <= document.documentElement.clientWidth;
    }}""")


def test_the_claims_list_shows_every_column_at_1280_px_with_the_claim_on_a_few_lines(
        editor_page, live_server, story_with_claims):
    page = editor_page()
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.wait_for_selector("#result_list")
    screenshot(page, "claims-list")
    headers = page.locator("#result_list thead th").count()
    assert headers >= 8
    assert _fits(page, "#result_list thead th:last-child")  # the last column is on the screen
    cell = page.locator("#result_list tbody .field-short_paraphrase").first.bounding_box()
    assert cell["width"] >= 220 and cell["height"] < 100  # a few lines, not a word a line
    assert serious_violations(page) == []


def test_the_claims_list_at_390_px_has_nothing_serious_for_axe(editor_page, live_server, story_with_claims):
    page = editor_page(PHONE)
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.wait_for_selector("#result_list")
    screenshot(page, "claims-list")
    assert serious_violations(page) == []


def test_every_list_has_a_search_box(editor_page, live_server, story_with_claims):
    page = editor_page()
    for path in ("claims/claim", "events/development", "events/story", "events/source", "events/actor",
                 "events/briefing", "record/revision", "drafts/draft"):
        page.goto(f"{live_server.url}/admin/{path}/")
        assert page.locator("#searchbar").count() == 1, path


def test_the_revision_log_is_newest_first_with_its_messages_readable(editor_page, live_server):
    development = edit_many_times(make_development(), 2)
    page = editor_page()
    page.goto(f"{live_server.url}/admin/record/revision/")
    ids = [int(text) for text in page.locator("#result_list td.field-id, #result_list th.field-id")
           .all_inner_texts()]
    assert ids == sorted(ids, reverse=True)
    message = page.locator("#result_list td.field-short_message").first.bounding_box()
    assert message["width"] >= 250
    assert development.history.count() == 3


def test_the_development_edit_form_is_short_and_its_title_is_not_cut_off(
        editor_page, live_server, story_with_claims):
    page = editor_page()
    page.goto(f"{live_server.url}/admin/events/development/{story_with_claims.pk}/change/")
    screenshot(page, "development-form")
    title = page.locator("#id_title")
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 3000, height

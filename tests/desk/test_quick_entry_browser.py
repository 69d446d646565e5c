"""The quick entry of a development in Chromium: one click saves it and opens the next on the same story."""

from __future__ import annotations

import pytest

from events.models import Development
from tests.desk.browsing import DESKTOP, PHONE, logged_in, screenshot, serious_violations
from tests.factories import make_editor, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_an_editor_enters_two_developments_in_a_row(browser, live_server, width):
    story = make_story(title="Karabakh, September 2023")
    page = logged_in(browser, live_server, make_editor(), width=width)
    page.goto(f"{live_server.url}/admin/events/development/add/")
    assert page.input_value("#id_story") == str(story.pk)  # the only developing story
    # The autocomplete boxes are built (and named) by scripts once the page is ready.
    page.wait_for_function("""() => [...document.querySelectorAll('.select2-selection')]
        .every(box => box.hasAttribute('aria-label'))""")
    screenshot(page, "quick-entry")
    assert serious_violations(page) == []
    for title in ("Convoy leaves Stepanakert", "Talks held in Yevlakh"):
        page.fill("#id_title", title)
        page.select_option("#id_kind", "statement")
        page.fill("#id_occurred_at_0", "21 Sept 2023")
        page.fill("#id_change_message", "Reported by two outlets")
        page.click("input[name=_addanother]")
        page.wait_for_selector(".messagelist .success")
        assert page.input_value("#id_story") == str(story.pk)
    assert set(Development.objects.filter(story=story).values_list("title", flat=True)) == {
        "Convoy leaves Stepanakert", "Talks held in Yevlakh"}
    page.context.close()

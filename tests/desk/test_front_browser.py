"""The desk front page and the review page in Chromium, as an editor and as a reviewer.

At 1280 px and at 390 px: axe-core finds nothing serious, no element id is
used twice, and a screenshot of each is left in var/screenshots/.
"""

from __future__ import annotations

import pytest

from drafts import services
from tests.desk.browsing import DESKTOP, PHONE, duplicate_ids, logged_in, screenshot, serious_violations
from tests.factories import make_claim, make_development, make_editor, make_reviewer, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom():
    story = make_story(title="Karabakh, September 2023")
    development = make_development(story, title="Azerbaijan launches an offensive in Karabakh")
    for n in range(3):
        make_claim(development, paraphrase=f"Officials said at least {200 + n} people were killed "
                                           f"in the first day of the offensive, a figure not yet confirmed.")
    editor, reviewer = make_editor("maria"), make_reviewer("rosa")
    draft = services.draft_create(author=editor, item_type="events.development", item=development,
                                  kind="correction", message="Stepanakert is named in two reports",
                                  values={"title": "Azerbaijan shells Stepanakert"})
    services.draft_submit(draft=draft, user=editor)
    return {"editor": editor, "reviewer": reviewer, "draft": draft, "development": development}


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_a_reviewer_opens_the_front_page_and_goes_to_the_correction_waiting(
        browser, live_server, newsroom, width):
    page = logged_in(browser, live_server, newsroom["reviewer"], width=width)
    page.goto(f"{live_server.url}/admin/")
    assert page.inner_text("a[href='#to-review'] .desk-count") == "1"
    screenshot(page, "desk-front")
    assert serious_violations(page) == []
    assert duplicate_ids(page) == []
    page.click(f"#content-main a[href$='/admin/drafts/draft/{newsroom['draft'].pk}/change/']")
    page.wait_for_selector(".desk-changes")
    assert page.locator("input[name=approve]").count() == 1
    screenshot(page, "review-page")
    # No sideways scroll, at 390 px too.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_violations(page) == []
    assert duplicate_ids(page) == []
    page.context.close()


def test_the_author_sees_no_publish_button_before_approval_and_no_review_list(
        browser, live_server, newsroom):
    page = logged_in(browser, live_server, newsroom["editor"])
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("a[href='#to-review']").count() == 0
    page.goto(f"{live_server.url}/admin/drafts/draft/{newsroom['draft'].pk}/change/")
    assert page.locator("input[name=publish]").count() == 0
    assert page.locator("input[name=approve]").count() == 0
    page.context.close()

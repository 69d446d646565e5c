"""A draft's preview in a real browser: from the draft page to the public layout, bannered, 1280/390 px."""

import pytest

from drafts.services import draft_create
from record.models import Revision
from tests.desk.browsing import DESKTOP, PHONE, logged_in, screenshot, serious_violations
from tests.factories import make_actor, make_claim, make_development, make_editor, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_an_editor_previews_a_correction_from_the_draft_page(browser, live_server, width):
    story = make_story(title="Azerbaijan's offensive in Karabakh")
    development = make_development(story, title="Shelling reported", location="Karabakh",
                                   summary="Shelling was reported in the region.")
    make_claim(development, actor=make_actor(name="Karabakh Armenian leadership"),
               paraphrase="Shelling hit residential areas.")
    editor = make_editor()
    draft = draft_create(
        author=editor, item_type="events.development", item=development,
        kind=Revision.Kind.CORRECTION, message="The town is named in two reports",
        values={"title": "Shelling of Stepanakert reported", "location": "Stepanakert (Khankendi)",
                "summary": "Shelling was reported in Stepanakert, the region's main town."})
    page = logged_in(browser, live_server, editor, width=width)

    page.goto(f"{live_server.url}/admin/drafts/draft/{draft.pk}/change/")
    page.get_by_role("link", name="Preview").click()
    page.wait_for_selector(".preview-banner")

    assert page.locator(".preview-banner").inner_text().startswith(
        f"Preview of draft {draft.pk} — not published.")
    assert page.locator("h1").inner_text() == "Shelling of Stepanakert reported"
    assert "Shelling hit residential areas." in page.locator(".development-page").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "draft-preview")
    page.context.close()

"""The desk in a real browser: Playwright driving Debian's Chromium against a live server."""

import datetime as dt

import pytest

from claims.models import Claim
from events.models import Development
from record.models import Revision
from tests.browser import SCREENSHOTS
from tests.desk.browsing import logged_in
from tests.factories import make_actor, make_development, make_editor, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def _logged_in(browser, live_server, username=None):
    return logged_in(browser, live_server, make_editor(username))


@pytest.fixture
def desk(browser, live_server):
    page = _logged_in(browser, live_server)
    yield page
    page.context.close()


def _choose(page, select_id: str, text: str) -> None:
    """Pick `text` in an autocomplete (select2) field the way an editor does."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def _edit_url(live_server, development) -> str:
    return f"{live_server.url}/admin/events/development/{development.pk}/change/"


def test_an_editor_creates_a_development_with_a_claim_in_one_save(desk, live_server):
    story = make_story(title="Karabakh")
    make_actor(name="Dmitry Peskov")
    desk.goto(f"{live_server.url}/admin/events/development/add/")
    desk.select_option("#id_story", label="Karabakh")
    desk.fill("#id_title", "Ceasefire agreed")
    desk.select_option("#id_kind", "ceasefire")
    desk.fill("#id_occurred_at_0", "2023-09-20")
    desk.fill("#id_occurred_at_1", "13:00")
    _choose(desk, "id_claims-2-0-actor", "Dmitry Peskov")
    desk.fill("#id_claims-2-0-made_on", "2023-09-20")
    desk.fill("#id_claims-2-0-paraphrase", "The Kremlin brokered the ceasefire.")
    desk.fill("#id_change_message", "Ceasefire reported")
    desk.click("input[name=_save]")
    desk.wait_for_selector(".messagelist .success")

    development = Development.objects.get(title="Ceasefire agreed", story=story)
    claim = Claim.objects.get(development=development)
    assert claim.history.get().revision_id == development.history.get().revision_id
    assert claim.actor.name == "Dmitry Peskov"


def test_an_editor_edits_sees_the_diff_and_restores_an_old_version(desk, live_server):
    development = make_development(title="Talks in Yevlakh", summary="Officials met.")
    desk.goto(_edit_url(live_server, development))
    desk.fill("#id_summary", "Officials met Karabakh Armenian leaders.")
    desk.fill("#id_change_message", "Who met whom")
    desk.check("input[name=change_kind][value=clarification]")
    desk.click("input[name=_continue]")
    desk.wait_for_selector(".messagelist .success")

    desk.click("a.historylink")
    desk.wait_for_selector("#desk-versions")
    assert "Who met whom" in desk.inner_text("#desk-versions")
    desk.click("#desk-compare input[type=submit]")
    desk.wait_for_selector(".desk-changes")
    assert desk.inner_text(".desk-changes ins") == " Karabakh Armenian leaders"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SCREENSHOTS / "history-diff.png"), full_page=True)

    desk.click("a.historylink")
    desk.click("tr[data-version='1'] a.desk-restore")
    desk.fill("#id_change_message", "The first report was right")
    desk.click("input[type=submit].default")
    desk.wait_for_selector(".messagelist .success")
    development.refresh_from_db()
    assert (development.summary, development.version) == ("Officials met.", 3)
    assert development.history.get(version=3).revision.kind == Revision.Kind.RESTORE


def test_a_save_without_a_message_shows_an_error_and_saves_nothing(desk, live_server):
    development = make_development(title="Offensive")
    desk.goto(_edit_url(live_server, development))
    desk.fill("#id_title", "Offensive ends")
    desk.click("input[name=_save]")
    desk.wait_for_selector(".errornote")
    assert "This field is required" in desk.inner_text(".field-change_message")
    development.refresh_from_db()
    assert (development.title, development.version) == ("Offensive", 1)


def test_two_editors_collide_and_the_second_sees_what_changed(browser, desk, live_server):
    development = make_development(title="Ceasefire breach", summary="Alleged by separatists.")
    other = _logged_in(browser, live_server, "second_editor")
    try:
        desk.goto(_edit_url(live_server, development))
        other.goto(_edit_url(live_server, development))
        desk.fill("#id_summary", "Alleged by separatists; denied by Azerbaijan.")
        desk.fill("#id_change_message", "Denial added")
        desk.click("input[name=_save]")
        desk.wait_for_selector(".messagelist .success")

        other.fill("#id_title", "Ceasefire breach alleged")
        other.fill("#id_change_message", "Sharper title")
        other.click("input[name=_save]")
        other.wait_for_selector(".desk-conflict")
        text = other.inner_text(".desk-conflict")
        assert "Denial added" in text and "denied by Azerbaijan" in text
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        other.screenshot(path=str(SCREENSHOTS / "conflict.png"), full_page=True)
    finally:
        other.context.close()
    development.refresh_from_db()
    assert (development.title, development.version) == ("Ceasefire breach", 2)
    assert "denied by Azerbaijan" in development.summary


def test_an_editor_retracts_with_a_reason(desk, live_server, settings):
    settings.REVIEW_CORRECTIONS = False  # the retraction publishes at once (drafts.review)
    development = make_development(title="Dam destroyed",
                                   occurred_at=dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    desk.goto(_edit_url(live_server, development))
    assert desk.locator("a.deletelink").count() == 0  # no delete, anywhere
    desk.click("a.desk-retract")
    desk.fill("#id_reason", "   ")  # passes the browser's `required`, not the desk
    desk.click("input[type=submit].default")
    desk.wait_for_selector(".errorlist")
    assert Development.objects.get(pk=development.pk).status == "reported"
    desk.fill("#id_reason", "No such dam exists: a fabricated report")
    desk.click("input[type=submit].default")
    desk.wait_for_selector(".messagelist .success")
    development.refresh_from_db()
    assert (development.status, development.retraction_reason) == (
        "retracted", "No such dam exists: a fabricated report")

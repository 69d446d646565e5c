"""Drafts in a real browser: a correction drafted, approved by a reviewer, published; a draft scheduled.

Only once published do the public page, the feed, the change feed and an
immediate-digest subscriber (a real SMTP server) see the change.
"""

import datetime as dt
import json
import urllib.request

import pytest
from django.utils import timezone

from drafts.models import Draft
from drafts.services import drafts_publish_due
from tests.browser import SCREENSHOTS
from tests.desk.browsing import logged_in
from tests.digests.helpers import make_subscription
from tests.factories import make_development, make_editor, make_reviewer, make_story
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READER = "reader@example.org"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (the test's own server)
        return response.read().decode()


def _public(live_server, story) -> dict[str, str]:
    base = f"{live_server.url}{story.get_absolute_url()}"
    return {"page": _get(base), "feed": _get(f"{base}feed.atom"),
            "changes": _get(f"{live_server.url}/api/changes/?story={story.slug}")}


@pytest.fixture
def people(browser, live_server):
    editor, reviewer = make_editor(), make_reviewer()
    pages = {"editor": logged_in(browser, live_server, editor),
             "reviewer": logged_in(browser, live_server, reviewer)}
    yield pages
    for page in pages.values():
        page.context.close()


def test_a_correction_is_drafted_approved_and_only_then_seen_by_readers(people, live_server,
                                                                        smtp_server):
    story = make_story(title="Karabakh")
    development = make_development(story, title="Shelling reported")
    make_subscription(story, email=READER, frequency="immediate")
    desk, reviewer = people["editor"], people["reviewer"]

    desk.goto(f"{live_server.url}/admin/events/development/{development.pk}/change/")
    desk.fill("#id_title", "Shelling of Stepanakert reported")
    desk.check("input[name=change_kind][value=correction]")
    desk.fill("#id_change_message", "The town is named in two reports")
    desk.click("input[name=_save_draft]")
    desk.wait_for_selector(".desk-draft-state")
    desk.click("input[name=submit]")
    desk.wait_for_selector(".messagelist .success")
    assert desk.locator("input[name=approve]").count() == 0  # the author is no reviewer
    draft = Draft.objects.get()
    for text in _public(live_server, story).values():
        assert "Stepanakert" not in text

    reviewer.goto(f"{live_server.url}/admin/drafts/draft/?state__exact=submitted")
    reviewer.click(f"a[href*='/admin/drafts/draft/{draft.pk}/change/']")
    reviewer.wait_for_selector(".desk-changes")
    assert "of Stepanakert" in reviewer.inner_text(".desk-changes ins")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reviewer.screenshot(path=str(SCREENSHOTS / "draft-review.png"), full_page=True)
    reviewer.click("input[name=approve]")
    reviewer.wait_for_selector(".messagelist .success")
    for text in _public(live_server, story).values():
        assert "Stepanakert" not in text  # approved is not published
    assert smtp_server.to(READER) == []

    desk.reload()
    desk.click("input[name=publish]")
    desk.wait_for_selector(".messagelist .success")
    assert "Published as revision" in desk.inner_text(".messagelist")
    seen = _public(live_server, story)
    assert "Shelling of Stepanakert reported" in seen["page"]
    assert "Shelling of Stepanakert reported" in seen["feed"]
    latest = json.loads(seen["changes"])["results"][-1]
    assert latest["kind"] == "correction" and latest["id"] == Draft.objects.get().revision_id
    mail = wait_for(lambda: smtp_server.to(READER), timeout=30)
    assert len(mail) == 1 and "Stepanakert" in mail[0].as_string()


def test_a_scheduled_draft_appears_at_its_time(people, live_server):
    story = make_story(title="Karabakh")
    development = make_development(story, title="Talks planned")
    desk = people["editor"]
    desk.goto(f"{live_server.url}/admin/events/development/{development.pk}/change/")
    desk.fill("#id_title", "Talks held in Yevlakh")
    desk.fill("#id_change_message", "The talks took place")
    desk.click("input[name=_save_draft]")
    desk.wait_for_selector(".desk-draft-state")
    at = (timezone.now() + dt.timedelta(seconds=4)).replace(microsecond=0)
    desk.fill("#id_publish_at_0", at.date().isoformat())
    desk.fill("#id_publish_at_1", at.strftime("%H:%M:%S"))
    desk.click("input[name=schedule]")
    desk.wait_for_selector(".messagelist .success")
    assert Draft.objects.get().publish_at == at

    assert drafts_publish_due() == []  # the beat's job before the time: nothing yet
    assert "Talks held in Yevlakh" not in _public(live_server, story)["page"]

    def beat_then_read() -> bool:
        drafts_publish_due()  # what the beat runs every DRAFTS_PUBLISH_SECONDS
        return "Talks held in Yevlakh" in _public(live_server, story)["page"]

    wait_for(beat_then_read, timeout=30, interval=0.5)  # a deadline, not a sleep
    draft = Draft.objects.get()
    assert draft.state == "published" and draft.revision.created_at >= at

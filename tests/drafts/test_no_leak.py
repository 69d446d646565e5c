"""A draft, however far it gets short of publishing, is seen by no public surface."""

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from digests.models import Digest
from drafts import services
from drafts.models import Draft
from events.services import briefing_create
from publiclog.checkpoints import publish_checkpoint
from record.models import Revision
from tests.factories import make_development, make_editor, make_reviewer

pytestmark = pytest.mark.django_db

SECRET = "Shelling of Stepanakert"  # the draft's words: never on a public surface


def _public(client, story, development) -> dict:
    cache.clear()  # every page is cached per revision: read it afresh
    base = story.get_absolute_url()
    urls = ["/", base, f"{base}?as_of=2099-01-01T00:00:00Z", f"{base}changes/",
            f"{base}feed.atom", f"{base}feed.json", f"{base}timeline.json",
            f"{base}developments/{development.pk}/", f"{base}developments/{development.pk}/history/",
            f"/api/stories/{story.slug}/", "/api/developments/", f"/api/developments/{development.pk}/",
            f"/api/developments/{development.pk}/versions/", "/api/briefings/", "/api/changes/",
            "/api/log/leaves/?start=0&end=1"]
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
    api = APIClient()
    seen["anonymous drafts"] = api.get("/api/drafts/").status_code
    return seen


def _export() -> str:
    out = io.StringIO()
    call_command("export_log", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_draft_submitted_and_approved_leaks_nowhere_until_it_is_published(client):
    author, reviewer = make_editor(), make_reviewer()
    development = make_development(author=author, title="Shelling reported")
    story = development.story
    briefing = briefing_create(author=author, story=story, message="Pinned", text="Fighting began.")
    checkpoint = publish_checkpoint().size
    before = _public(client, story, development)
    revisions, digests, log = Revision.objects.count(), Digest.objects.count(), _export()

    draft = services.draft_create(author=author, item_type="events.development", item=development,
                                  kind="correction", message="Town named", values={"title": SECRET})
    services.draft_create(author=author, item_type="events.briefing", item=briefing,
                          message="Summary", values={"text": SECRET})
    services.draft_create(author=author, item_type="events.development", message="New",
                          values={"story": story.pk, "title": SECRET, "kind": "statement",
                                  "occurred_at": "2023-09-21T10:00:00Z"})
    services.draft_submit(draft=draft, user=author)
    services.draft_approve(draft=draft, reviewer=reviewer)

    after = _public(client, story, development)
    assert after == before
    assert not any(SECRET in text for text in after.values() if isinstance(text, str))
    assert after["anonymous drafts"] == 401
    assert (Revision.objects.count(), Digest.objects.count()) == (revisions, digests)
    assert _export() == log and SECRET not in log
    assert publish_checkpoint().size == checkpoint

    services.draft_publish(draft=Draft.objects.get(pk=draft.pk), publisher=author)
    published = _public(client, story, development)
    for url in (story.get_absolute_url(), f"{story.get_absolute_url()}feed.atom", "/api/changes/"):
        assert SECRET in published[url], url
    assert SECRET in _export()


def test_an_anonymous_reader_cannot_read_a_draft(client):
    author = make_editor()
    draft = services.draft_create(author=author, item_type="events.development",
                                  item=make_development(author=author), message="m",
                                  values={"title": SECRET})
    response = APIClient().get(f"/api/drafts/{draft.pk}/")
    assert response.status_code == 401 and SECRET not in response.content.decode()
    assert json.loads(client.get("/api/changes/").content)["results"][-1]["items"][0]["type"] == "development"

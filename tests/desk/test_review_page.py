"""The draft's review page: only the actions the user may take, unique ids, what a published draft became."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client

from drafts import services
from drafts.models import Draft
from tests.factories import make_development, make_editor, make_reviewer

pytestmark = pytest.mark.django_db


def _page(user, draft: Draft) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/admin/drafts/draft/{draft.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def _draft(author, development=None, kind="correction") -> Draft:
    return services.draft_create(author=author, item_type="events.development",
                                 item=development or make_development(title="Shelling reported"),
                                 kind=kind, message="Town named",
                                 values={"title": "Shelling of Stepanakert reported"})


def test_the_author_of_an_unapproved_correction_is_not_offered_publish_now():
    author = make_editor()
    draft = services.draft_submit(draft=_draft(author), user=author)
    assert 'value="Publish now"' not in _page(author, draft)


def test_the_author_of_an_approved_correction_is_offered_publish_now():
    author = make_editor()
    draft = services.draft_submit(draft=_draft(author), user=author)
    services.draft_approve(draft=draft, reviewer=make_reviewer())
    assert 'value="Publish now"' in _page(author, draft)


def test_an_update_draft_may_be_published_at_once():
    author = make_editor()
    assert 'value="Publish now"' in _page(author, _draft(author, kind="update"))


def test_a_reviewer_sees_approve_and_send_back_with_no_duplicate_element_ids():
    author = make_editor()
    draft = services.draft_submit(draft=_draft(author), user=author)
    page = _page(make_reviewer(), draft)
    assert 'value="Approve"' in page and 'value="Send back"' in page
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []


def test_the_send_back_note_says_who_sees_it():
    author = make_editor()
    draft = services.draft_submit(draft=_draft(author), user=author)
    page = _page(make_reviewer(), draft)
    assert "Seen by the draft's author (emailed to them)" in page
    assert "Readers see it in the history" not in page


def test_a_published_draft_links_to_the_published_item_and_its_diff():
    author = make_editor()
    development = make_development(title="Shelling reported")
    draft = _draft(author, development, kind="update")
    services.draft_publish(draft=draft, publisher=author)
    page = _page(author, draft)
    assert f'href="/stories/{development.story.slug}/developments/{development.pk}/"' in page
    assert f'href="/admin/events/development/{development.pk}/history/diff/?from=1&amp;to=2"' in page
    assert "<ins>of Stepanakert </ins>" in page
    assert "No differences in content" not in page


def test_a_published_new_item_shows_what_it_was_created_with():
    author = make_editor()
    story = make_development().story
    draft = services.draft_create(author=author, item_type="events.development", kind="update",
                                  message="New", values={"story": story.pk, "title": "Convoy leaves",
                                                         "kind": "statement",
                                                         "occurred_at": "2023-09-19T00:00:00+00:00"})
    services.draft_publish(draft=draft, publisher=author)
    page = _page(author, Draft.objects.get(pk=draft.pk))
    assert "Published as version 1" in page and "Convoy leaves" in page

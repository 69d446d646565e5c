"""The desk's front page: what waits for me, what just happened, what needs attention; constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from archive import services as archive_services
from drafts import services
from drafts.models import Draft
from tests.archive.origin import article, captured_source, origin_allowed
from tests.factories import edit_many_times, make_claim, make_development, make_editor, make_reviewer
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _front(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _correction(author, title="Shelling of Stepanakert") -> Draft:
    return services.draft_create(author=author, item_type="events.development",
                                 item=make_development(title="Shelling reported"), kind="correction",
                                 message="Town named", values={"title": title})


def test_a_reviewer_sees_the_corrections_waiting_for_review_with_their_count():
    author = make_editor()
    draft = services.draft_submit(draft=_correction(author), user=author)
    page = _front(make_reviewer())
    assert f'href="/admin/drafts/draft/{draft.pk}/change/"' in page
    assert 'To review <span class="desk-count">1</span>' in page


def test_an_editor_who_is_no_reviewer_is_not_offered_reviews():
    author = make_editor()
    services.draft_submit(draft=_correction(author), user=author)
    assert "To review" not in _front(make_editor())


def test_the_author_sees_their_draft_sent_back_with_the_note():
    author = make_editor()
    draft = services.draft_submit(draft=_correction(author), user=author)
    services.draft_send_back(draft=draft, reviewer=make_reviewer("rosa"), comment="Name the source")
    page = _front(author)
    assert 'Sent back to you <span class="desk-count">1</span>' in page
    assert "rosa: “Name the source”" in page


def test_the_author_sees_their_scheduled_drafts_with_the_time():
    author = make_editor()
    draft = services.draft_create(author=author, item_type="events.development", item=make_development(),
                                  kind="update", message="More", values={"title": "Later"})
    when = (timezone.now() + dt.timedelta(days=2)).replace(hour=16, minute=0, second=0, microsecond=0)
    services.draft_schedule(draft=draft, user=author, publish_at=when)
    page = _front(author)
    assert 'Scheduled <span class="desk-count">1</span>' in page
    assert f"publishes <time datetime=\"{when.isoformat()}\">" in page
    assert f"{when:%H:%M} UTC" in page


def test_a_blocked_draft_is_shown_with_why():
    author = make_editor()
    draft = services.draft_submit(draft=_correction(author), user=author)
    services.draft_schedule(draft=draft, user=author, publish_at=timezone.now() + dt.timedelta(seconds=1))
    services.drafts_publish_due(now=timezone.now() + dt.timedelta(minutes=1))
    page = _front(author)
    assert 'Blocked <span class="desk-count">1</span>' in page
    assert "Blocked: A correction is published only after a reviewer" in page


def test_the_latest_revisions_show_author_kind_and_a_link_to_the_diff():
    editor = make_editor("maria")
    development = edit_many_times(make_development(author=editor), 1)
    page = _front(editor)
    assert f'href="/admin/events/development/{development.pk}/history/diff/?from=1&amp;to=2"' in page
    assert "by maria" in page and "<strong>Update</strong>" in page


def test_a_source_that_changed_since_cited_needs_attention(settings):
    with origin_allowed(settings) as site:
        source = captured_source(site, "/report", article("Ten soldiers died."))
        make_claim(sources=[source])
        site.serve("/report", article("Twelve soldiers died."))
        archive_services.source_check(source.pk)
    page = _front(make_editor())
    assert f'href="/admin/events/source/{source.pk}/change/"' in page
    assert "source changed since cited" in page
    assert 'Sources to check <span class="desk-count">1</span>' in page


def _grow(author, reviewer, drafts: int, versions: int) -> None:
    for _ in range(drafts):
        draft = services.draft_submit(draft=_correction(author), user=author)
        services.draft_send_back(draft=draft, reviewer=reviewer, comment="Source?")
        services.draft_submit(draft=draft, user=author)
        mine = _correction(reviewer)
        services.draft_schedule(draft=mine, user=reviewer, publish_at=timezone.now() + dt.timedelta(days=1))
    edit_many_times(make_development(), versions)


def test_the_front_page_takes_as_many_queries_with_many_drafts_revisions_and_versions_as_with_few():
    author, reviewer = make_editor(), make_reviewer()
    client = Client()
    client.force_login(reviewer)
    _grow(author, reviewer, drafts=1, versions=1)
    client.get("/admin/")  # fills Django's content-type cache
    baseline = count_queries(client, "/admin/")
    _grow(author, reviewer, drafts=15, versions=30)
    assert count_queries(client, "/admin/") == baseline

"""Reviewers are told of a submitted correction, and authors of what became of their draft (real SMTP)."""

from __future__ import annotations

import pytest

from drafts import services
from drafts.errors import DraftConflict
from drafts.models import Draft
from tests.factories import make_development, make_editor, make_reviewer

pytestmark = pytest.mark.django_db


def _with_email(user):
    user.email = f"{user.username}@newsroom.test"
    user.save(update_fields=["email"])
    return user


def _draft(author, development, kind="correction") -> Draft:
    return services.draft_create(author=author, item_type="events.development", item=development,
                                 kind=kind, message="Town named", values={"title": "Shelling of Stepanakert"})


@pytest.fixture
def newsroom(db):
    author = _with_email(make_editor())
    reviewers = [_with_email(make_reviewer()), _with_email(make_reviewer())]
    return author, reviewers, make_development(author=author)


def _submit(draft, author, capture):
    with capture(execute=True):
        return services.draft_submit(draft=draft, user=author)


def test_a_submitted_correction_sends_one_message_to_the_reviewers_with_the_review_link(
        newsroom, smtp_server, django_capture_on_commit_callbacks, settings):
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert sorted(smtp_server.envelopes[0][1]) == sorted(r.email for r in reviewers)
    assert f"{settings.SITE_URL}/admin/drafts/draft/{draft.pk}/change/" in message.get_content()
    assert "correction" in message["Subject"]


def test_a_submitted_retraction_tells_the_reviewers(
        newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, reviewers, development = newsroom
    draft = services.draft_create(author=author, item_type="events.development", item=development,
                                  kind="retraction", message="Not sourced", values={})
    _submit(draft, author, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1


def test_a_submitted_update_tells_no_reviewer(newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, _, development = newsroom
    _submit(_draft(author, development, kind="update"), author, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []


def test_the_author_is_not_told_of_their_own_submission_even_as_a_reviewer(
        newsroom, smtp_server, django_capture_on_commit_callbacks):
    _, reviewers, development = newsroom
    author = reviewers[0]
    _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    assert smtp_server.envelopes[0][1] == [reviewers[1].email]


def test_the_author_is_told_when_approved(newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_approve(draft=draft, reviewer=reviewers[0], comment="Good catch")
    message = smtp_server.messages[-1]
    assert smtp_server.envelopes[-1][1] == [author.email]
    assert "approved" in message["Subject"] and reviewers[0].username in message["Subject"]
    assert "Good catch" in message.get_content()


def test_the_author_is_told_when_sent_back_with_the_note(
        newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_send_back(draft=draft, reviewer=reviewers[0], comment="Name the source")
    assert smtp_server.envelopes[-1][1] == [author.email]
    assert "sent back" in smtp_server.messages[-1]["Subject"]
    assert "Name the source" in smtp_server.messages[-1].get_content()


def test_the_author_is_told_when_someone_else_publishes(
        newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    services.draft_approve(draft=draft, reviewer=reviewers[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_publish(draft=draft, publisher=reviewers[1])
    assert smtp_server.envelopes[-1][1] == [author.email]
    assert "published" in smtp_server.messages[-1]["Subject"]


def test_the_author_is_not_told_of_publishing_it_themselves(
        newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    services.draft_approve(draft=draft, reviewer=reviewers[0])
    sent = len(smtp_server.messages)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_publish(draft=draft, publisher=author)
    assert len(smtp_server.messages) == sent


def test_reviewers_are_not_told_when_turned_off(
        newsroom, smtp_server, django_capture_on_commit_callbacks, settings):
    settings.DRAFTS_EMAIL_REVIEWERS = False
    author, _, development = newsroom
    _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []


def test_authors_are_not_told_when_turned_off(
        newsroom, smtp_server, django_capture_on_commit_callbacks, settings):
    settings.DRAFTS_EMAIL_AUTHORS = False
    author, reviewers, development = newsroom
    draft = _submit(_draft(author, development), author, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_send_back(draft=draft, reviewer=reviewers[0], comment="Name the source")
    assert len(smtp_server.messages) == 1  # the reviewers' message only


def test_a_step_that_rolls_back_sends_nothing(newsroom, smtp_server, django_capture_on_commit_callbacks):
    author, _, development = newsroom
    draft = services.draft_submit(draft=_draft(author, development), user=author)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(DraftConflict):
        services.draft_submit(draft=draft, user=author)  # already submitted: refused
    assert callbacks == [] and smtp_server.messages == []

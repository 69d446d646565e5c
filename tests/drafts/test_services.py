"""Drafts' services: one revision per publish with its drafter and reviewer, the log, scheduling, races."""

import datetime as dt
import json

import pytest
from django.db import connection  # noqa: F401 (read by the skipif conditions)
from django.utils import timezone

from drafts import services
from drafts.errors import DraftConflict
from drafts.models import Draft, DraftEvent, DraftRevision
from events.models import Briefing, Development
from events.services import briefing_create
from interchange.logfile import log_lines
from record.leaves import leaf_bytes
from record.models import Revision
from tests.factories import make_development, make_editor, make_reviewer
from tests.racing import at_once

pytestmark = pytest.mark.django_db


def _correction(author, development, title="Shelling of Stepanakert") -> Draft:
    return services.draft_create(author=author, item_type="events.development", item=development,
                                 kind="correction", message="Town named", values={"title": title})


def _approved(author, development) -> Draft:
    draft = services.draft_submit(draft=_correction(author, development), user=author)
    return services.draft_approve(draft=draft, reviewer=make_reviewer())


def test_a_published_drafts_log_line_names_its_drafter_and_reviewer():
    author = make_editor()
    development = make_development(author=author)
    draft = _approved(author, development)
    _, revision = services.draft_publish(draft=draft, publisher=author)
    line = json.loads(list(log_lines())[-1])
    assert line["revision"] == revision.id
    assert (line["drafted_by"], line["reviewed_by"]) == (author.username, draft.reviewer.username)
    assert leaf_bytes(revision) == bytes(revision.log_leaf.data)  # signed as committed


def test_revisions_written_straight_away_have_no_draft_keys_in_their_lines():
    make_development()
    for line in list(log_lines())[1:]:
        assert "drafted_by" not in json.loads(line)


def test_an_update_draft_published_without_review_names_no_reviewer():
    author = make_editor()
    development = make_development(author=author)
    draft = services.draft_create(author=author, item_type="events.development", item=development,
                                  message="Tighter", values={"summary": "Shorter"})
    _, revision = services.draft_publish(draft=draft, publisher=author)
    assert DraftRevision.objects.get(revision=revision).reviewed_by is None


def test_a_retraction_draft_publishes_a_retraction_with_its_message_as_reason():
    author = make_editor()
    development = make_development(author=author)
    draft = services.draft_create(author=author, item_type="events.development", item=development,
                                  kind="retraction", message="Could not be confirmed", values={})
    draft = services.draft_submit(draft=draft, user=author)
    services.draft_approve(draft=draft, reviewer=make_reviewer())
    _, revision = services.draft_publish(draft=draft, publisher=author)
    development.refresh_from_db()
    assert revision.kind == "retraction" and development.retraction_reason == "Could not be confirmed"


def test_a_what_we_know_draft_is_published_through_the_same_services():
    author = make_editor()
    development = make_development(author=author)
    briefing = briefing_create(author=author, story=development.story, message="Pinned",
                               text="Shelling reported.")
    draft = services.draft_create(author=author, item_type="events.briefing", item=briefing,
                                  message="Update", values={"text": "A ceasefire was agreed."})
    services.draft_publish(draft=draft, publisher=author)
    assert Briefing.objects.get(pk=briefing.pk).text == "A ceasefire was agreed."


def test_an_unknown_item_type_is_refused():
    with pytest.raises(Exception, match="No item type"):
        services.draft_create(author=make_editor(), item_type="auth.user", values={}, message="m")


def test_moving_an_item_to_another_story_is_refused_in_a_draft():
    author = make_editor()
    development = make_development(author=author)
    other = make_development(author=author).story
    with pytest.raises(Exception, match="cannot move"):
        services.draft_create(author=author, item_type="events.development", item=development,
                              message="m", values={"story": other})


# --- scheduling ------------------------------------------------------------------

def _schedule(draft: Draft, user, *, seconds_from_now: float) -> Draft:
    draft = services.draft_schedule(draft=draft, user=user,
                                    publish_at=timezone.now() + dt.timedelta(seconds=60))
    # Due now: moved into the past behind the services' back (scheduling in the past is refused).
    Draft.objects.filter(pk=draft.pk).update(
        publish_at=timezone.now() + dt.timedelta(seconds=seconds_from_now))
    return Draft.objects.get(pk=draft.pk)


def test_a_due_draft_is_published_once_even_when_the_job_runs_twice():
    author = make_editor()
    development = make_development(author=author)
    draft = _schedule(_approved(author, development), author, seconds_from_now=-1)
    assert services.drafts_publish_due() == [draft.pk]
    assert services.drafts_publish_due() == []
    draft.refresh_from_db()
    assert draft.state == "published" and draft.revision.author == author
    assert Revision.objects.filter(draft_link__isnull=False).count() == 1


def test_a_draft_not_yet_due_waits():
    author = make_editor()
    draft = _schedule(_approved(author, make_development(author=author)), author,
                      seconds_from_now=30)
    assert services.drafts_publish_due() == []
    assert Draft.objects.get(pk=draft.pk).state == "approved"


def test_a_due_correction_without_approval_is_blocked_with_the_reason():
    author = make_editor()
    draft = _schedule(_correction(author, make_development(author=author)), author,
                      seconds_from_now=-1)
    revisions = Revision.objects.count()
    assert services.drafts_publish_due() == []
    draft.refresh_from_db()
    assert draft.state == "blocked" and "reviewer" in draft.blocked_reason
    assert Revision.objects.count() == revisions
    assert draft.events.last().action == DraftEvent.Action.BLOCKED


def test_a_due_draft_on_a_stale_base_is_blocked_and_a_rebase_unblocks_it():
    from events import services as event_services

    author = make_editor()
    development = make_development(author=author)
    draft = _schedule(_approved(author, development), author, seconds_from_now=-1)
    event_services.development_update(author=author, development=development, base_version=1,
                                      message="Meanwhile", changes={"summary": "More"})
    services.drafts_publish_due()
    draft.refresh_from_db()
    assert draft.state == "blocked" and "current version is 2" in draft.blocked_reason
    rebased = services.draft_update(draft=draft, user=author, rebase=True)
    assert (rebased.state, rebased.base_version) == ("draft", 2)


# --- races ------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks")
def test_two_reviewers_approving_at_once_one_wins_and_the_other_is_told():
    author = make_editor()
    draft = services.draft_submit(draft=_correction(author, make_development(author=author)),
                                  user=author)
    outcomes = at_once(*(lambda r=reviewer: services.draft_approve(draft=draft, reviewer=r)
                         for reviewer in (make_reviewer(), make_reviewer())))
    refused = [outcome for outcome in outcomes if isinstance(outcome, DraftConflict)]
    assert len(refused) == 1 and "already approved" in str(refused[0]), outcomes
    assert DraftEvent.objects.filter(draft=draft, action="approved").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks")
def test_two_editors_publishing_at_once_write_one_revision():
    author = make_editor()
    development = make_development(author=author)
    draft = services.draft_create(author=author, item_type="events.development", item=development,
                                  message="Tighter", values={"summary": "Shorter"})
    before = Revision.objects.count()
    outcomes = at_once(*[lambda: services.draft_publish(draft=draft, publisher=author)] * 2)
    refused = [outcome for outcome in outcomes if isinstance(outcome, DraftConflict)]
    assert len(refused) == 1 and "already published" in str(refused[0]), outcomes
    assert Revision.objects.count() == before + 1
    assert Development.objects.get(pk=development.pk).version == 2

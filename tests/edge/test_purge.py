"""What a revision purges, and a purge that fails: retried with backoff by a real worker."""

from __future__ import annotations

import pytest

from edge.keys import revision_keys
from events import services
from record.models import Revision
from record.summary import summary_of
from tests.digests.webhook_support import Receiver
from tests.factories import make_claim, make_development, make_user
from tests.waiting import wait_for


def _latest_revision() -> int:
    return Revision.objects.order_by("-id").values_list("id", flat=True).first()


def test_a_development_edit_purges_its_story_its_page_the_lists_and_the_change_feed(db):
    development = make_development()
    other = make_development()
    services.development_update(author=make_user(), development=development, base_version=1,
                                message="Renamed", kind="update", minor=False, changes={"title": "New"})
    keys = revision_keys(summary_of(_latest_revision()))
    assert {f"story-{development.story_id}", f"development-{development.id}", "developments",
            "stories", "changes"} <= set(keys)
    assert f"story-{other.story_id}" not in keys


def test_a_new_claim_purges_its_development_and_that_developments_story(db):
    claim = make_claim()
    keys = revision_keys(summary_of(_latest_revision()))
    assert {f"claim-{claim.id}", f"development-{claim.development_id}",
            f"story-{claim.development.story_id}", "claims"} <= set(keys)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_purge_the_edge_refuses_is_retried_until_it_lands(celery_redis_worker, settings):
    settings.EDGE_PURGE_RETRY_BASE_SECONDS = 0.05
    with Receiver() as edge:
        edge.answers = [503, 503, 503]  # down for a while (the story's purge meets it too)
        settings.EDGE_PURGE_URLS = [edge.url]
        development = make_development()
        key = f"development-{development.id}"

        def purges_of_the_development():
            return [r for r in edge.requests if key in r.headers["xkey"].split()]

        purges = wait_for(lambda: len(purges_of_the_development()) >= 2 and purges_of_the_development(),
                          timeout=20)
    assert purges[0].headers["xkey"] == purges[1].headers["xkey"]


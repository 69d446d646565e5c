"""Every public page runs a constant number of queries however large the story grows."""

import datetime as dt

import pytest

from claims import services as claim_services
from claims.models import Claim
from events import services
from tests.factories import (
    edit_many_times,
    make_actor,
    make_claim,
    make_development,
    make_story,
    make_user,
)
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def grow(story, count, author, actor):
    """Add developments, each with a claim, a response, an edit and a verification."""
    for n in range(count):
        development = make_development(
            story=story, author=author, title=f"Development {n}", summary=f"It happened {n}.",
            occurred_at=dt.datetime(2023, 9, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
        )
        claim = make_claim(development=development, author=author, actor=actor,
                           figure_low=n, figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths")
        make_claim(development=development, author=author, actor=actor, responds_to=claim,
                   response_relation=Claim.Relation.DENIES, figure_qualifier=Claim.Qualifier.UNSPECIFIED,
                   figure_unit="deaths")
        services.development_update(author=author, development=development, base_version=1,
                                    message="More detail", changes={"summary": f"It happened, {n}."})
        claim_services.claim_verify(author=author, claim=claim, base_version=1, verification="confirmed",
                                    note="Seen", message="Verified")


def pages(story, development) -> dict[str, int]:
    """Each page and the queries it runs. 1 is always the cache key: the latest revision id
    (for the feeds: the story's latest revision and its time, also their ETag)."""
    base = story.get_absolute_url()
    page = development.get_absolute_url()
    return {
        "/": 2,  # 2: the stories, each with its latest change and size
        # 2: the story, 3: its developments, 4-6: their claims, the claims' actors and the
        # sources they cite (for the threads), 7-8: claims and actors again (for the contested
        # figures), 9-10: the labels of the developments and of the claims, 11-13: the first,
        # shown and previous moments, 14: its "What we know"
        base: 14,
        # 2: the story, 3: the revision at that moment, 4: the developments then, 5: the
        # story then, 6-10: claims, actors and sources as above, 11-12: labels, 13-16: the
        # first, shown, previous and next moments, 17: its "What we know" then; and as a
        # Memento (memento/): 18: the revision it shows, 19: its first, last, prev and next
        base + "?as_of=2030-01-01": 19,
        # 2: the story, 3: its revisions, 4-7: what they wrote (story, "What we know",
        # developments, claims)
        base + "changes/": 7,
        # ... and 8: the latest signed checkpoint (its tree size and root)
        base + "feed.atom": 8,
        base + "feed.json": 8,
        base + "timeline.json": 14,  # the story page's reads
        # 2: the development and its story, 3: its sources, 4: its actors, 5-6: the labels
        # of it and of its claims, 7: its claims, 8: their actors, 9: the sources they cite
        page: 9,
        # 2: the development and its story, 3: its versions, 4-5: their actor and source sets,
        # 6: their leaves in the public log, 7: the latest checkpoint (to ask proofs against)
        page + "history/": 7,
        page + "diff/?from=1&to=2": 5,  # the same for two versions (a summary edit: no names)
    }


def test_pages_keep_their_query_count_with_200_developments(client):
    author, story = make_user(), make_story()
    actor = make_actor(author=author)
    grow(story, 2, author, actor)
    first = story.developments.order_by("id").first()
    expected = pages(story, first)
    assert {url: count_queries(client, url) for url in expected} == expected

    grow(story, 198, author, actor)
    assert story.developments.count() == 200
    assert {url: count_queries(client, url) for url in expected} == expected


def test_history_and_diff_pages_take_as_many_queries_with_20_versions_as_with_2(client):
    # History: 1: the latest revision id (the cache key), 2: the development and its story,
    # 3: its versions with their revisions and authors, 4: the versions' actor sets,
    # 5: their source sets, 6: their leaves in the public log, 7: the latest checkpoint.
    # Diff: 1: the latest revision id, 2: the development and its story, 3: the two versions,
    # 4: their actor sets, 5: their source sets, 6: the actors named, 7: the sources named.
    development = edit_many_times(make_development(), 1)
    page = development.get_absolute_url()
    shown = {page + "history/": 7, page + "diff/?from=1&to=2": 7}
    assert {url: count_queries(client, url) for url in shown} == shown

    development = edit_many_times(development, 18)
    assert development.version == 20
    assert {url: count_queries(client, url) for url in shown} == shown

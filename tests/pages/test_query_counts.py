"""Every public page runs a constant number of queries however large the story grows."""

import datetime as dt

import pytest
from django.core.cache import cache

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
                           figure_value=n, figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths")
        make_claim(development=development, author=author, actor=actor, responds_to=claim,
                   response_relation=Claim.Relation.DENIES, figure_qualifier=Claim.Qualifier.UNSPECIFIED,
                   figure_unit="deaths")
        services.development_update(author=author, development=development, base_version=1,
                                    message="More detail", changes={"summary": f"It happened, {n}."})
        claim_services.claim_verify(author=author, claim=claim, base_version=1, verification="confirmed",
                                    note="Seen", message="Verified")


def urls(story, development):
    base = story.get_absolute_url()
    page = development.get_absolute_url()
    return ["/", base, base + "?as_of=2030-01-01", base + "changes/", base + "feed.atom",
            base + "feed.json", base + "timeline.json", page, page + "history/", page + "diff/?from=1&to=2"]


def test_pages_keep_their_query_count_with_200_developments(client, django_assert_max_num_queries):
    author, story = make_user(), make_story()
    actor = make_actor(author=author)
    grow(story, 2, author, actor)
    first = story.developments.order_by("id").first()
    small = {url: count_queries(client, url) for url in urls(story, first)}

    grow(story, 198, author, actor)
    assert story.developments.count() == 200
    for url in urls(story, first):
        cache.clear()
        with django_assert_max_num_queries(small[url]):
            assert client.get(url).status_code == 200, url


def test_history_and_diff_pages_take_as_many_queries_with_20_versions_as_with_2(client):
    # History: 1: the latest revision id (the cache key), 2: the development and its story,
    # 3: its versions with their revisions and authors, 4: the versions' actor sets,
    # 5: their source sets.
    # Diff: 1: the latest revision id, 2: the development and its story, 3: the two versions,
    # 4: their actor sets, 5: their source sets, 6: the actors named, 7: the sources named.
    development = edit_many_times(make_development(), 1)
    page = development.get_absolute_url()
    shown = {page + "history/": 5, page + "diff/?from=1&to=2": 7}
    assert {url: count_queries(client, url) for url in shown} == shown

    development = edit_many_times(development, 18)
    assert development.version == 20
    assert {url: count_queries(client, url) for url in shown} == shown

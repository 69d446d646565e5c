"""Every list endpoint costs the same number of queries with hundreds of items."""

import pytest

from claims import services as claim_services
from events.editing import story_revision
from tests.factories import (
    edit_many_times,
    make_actor,
    make_claim,
    make_development,
    make_editor,
    make_source,
    make_story,
)
from tests.queries import count_queries


@pytest.fixture
def many_items(db):
    """Hundreds of developments, claims, actors and sources, written in one revision (fast)."""
    editor = make_editor()
    story = make_story(author=editor, slug="big")
    with story_revision(author=editor, message="Bulk load", kind="created", story=story):
        actors = [make_actor(author=editor) for _ in range(5)]
        sources = [make_source(author=editor) for _ in range(5)]
        for n in range(150):
            development = make_development(story, author=editor, actors=actors[:2], sources=sources[:2],
                                           key_event=n % 2 == 0)
            make_claim(development, author=editor, actor=actors[n % 5], sources=sources[:1])
        for n in range(120):
            make_actor(author=editor, name=f"Extra actor {n}")
            make_source(author=editor, title=f"Extra source {n}")
    return story


# 1 ETag (latest revision) + 1 page (+1 count for limit/offset lists) + one per prefetch
# (stories: + 1 for every story's "What we know" at once)
LIST_QUERY_BUDGETS = [
    ("/api/stories/", 4),
    ("/api/stories/?as_of=2099-01-01T00:00:00Z", 5),  # + 1: the revision at that moment
    ("/api/briefings/?limit=200", 3),
    ("/api/developments/?key=true&limit=200", 4),
    ("/api/developments/?limit=200", 4),
    ("/api/developments/?story=big&limit=200", 4),
    ("/api/developments/?as_of=2099-01-01T00:00:00Z&limit=200", 5),
    ("/api/claims/?limit=200", 3),
    ("/api/actors/?limit=200", 3),
    ("/api/sources/?limit=200", 4),  # and the latest capture (a check writes no revision)
]


def test_every_list_costs_a_fixed_number_of_queries(api, many_items, django_assert_max_num_queries):
    # One test for all lists: the data takes seconds to write.
    for url, budget in LIST_QUERY_BUDGETS:
        with django_assert_max_num_queries(budget):
            response = api.get(url)
        assert response.status_code == 200
        if not url.startswith(("/api/stories/", "/api/briefings/", "/api/developments/?key")):
            assert len(response.json()["results"]) >= 120, url


def test_versions_cost_a_fixed_number_of_queries(api, db, django_assert_max_num_queries):
    editor = make_editor()
    claim = make_claim(author=editor, sources=[make_source()])
    for n in range(150):
        claim = claim_services.claim_update(author=editor, claim=claim, base_version=claim.version,
                                            message=f"Edit {n}", changes={"paraphrase": f"Take {n}"})
    with django_assert_max_num_queries(5):
        response = api.get(f"/api/claims/{claim.id}/versions/?limit=200")
    assert len(response.json()["results"]) == 151


def test_development_versions_cost_as_many_queries_with_20_versions_as_with_2(api, db):
    # 1: the development, 2: the latest revision id (the ETag), 3: its versions with their
    # revisions, authors and story, 4: the versions' actor sets, 5: their source sets.
    development = edit_many_times(make_development(), 1)
    url = f"/api/developments/{development.id}/versions/?limit=200"
    assert count_queries(api, url) == 5

    development = edit_many_times(development, 18)
    assert development.version == 20
    assert count_queries(api, url) == 5

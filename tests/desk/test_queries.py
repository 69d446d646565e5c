"""Desk pages keep a constant number of queries as versions and claims grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from tests.factories import make_actor, make_claim, make_development, make_source

pytestmark = pytest.mark.django_db


def _grow(development, claims: int, versions: int, actors) -> None:
    for i in range(claims):
        make_claim(development, actor=actors[i % len(actors)], figure_value=i,
                   figure_qualifier="exact", figure_unit="deaths")
    development.refresh_from_db()
    for _ in range(versions):
        development = services.development_update(
            author=actors[0].history.first().revision.author, development=development,
            base_version=development.version, message="More detail",
            changes={"summary": f"{development.summary} more"})


def _pages(development):
    pk = development.pk
    return [
        "/admin/events/development/", "/admin/claims/claim/", "/admin/record/revision/",
        f"/admin/events/development/{pk}/change/", f"/admin/events/development/{pk}/history/",
        f"/admin/events/development/{pk}/history/diff/?from=1&to=2",
        f"/admin/events/development/{pk}/history/1/restore/",
        f"/admin/claims/claim/?development__story__id__exact={development.story_id}",
    ]


def test_pages_take_as_many_queries_with_50_versions_and_200_claims_as_with_2(
        desk, django_assert_max_num_queries):
    actors = [make_actor(affiliation=make_actor()) for _ in range(4)]
    development = make_development()
    _grow(development, claims=2, versions=2, actors=actors)
    baseline = {}
    for url in _pages(development):
        with CaptureQueriesContext(connection) as queries:
            assert desk.get(url).status_code == 200, url
        baseline[url] = len(queries)

    _grow(development, claims=198, versions=48, actors=actors)

    for url in _pages(development):
        with django_assert_max_num_queries(baseline[url]):
            assert desk.get(url).status_code == 200, url


def _references_changed(development, actors: int, sources: int):
    """Version 2 of `development` names `actors` new actors and `sources` new sources."""
    return services.development_update(
        author=development.history.first().revision.author, development=development,
        base_version=development.version, message="Who was involved, and who said so",
        changes={"actors": [make_actor() for _ in range(actors)],
                 "sources": [make_source() for _ in range(sources)]})


def test_a_diff_naming_40_actors_and_sources_takes_as_many_queries_as_one_naming_2(
        desk, django_assert_max_num_queries):
    few, many = make_development(), make_development()
    _references_changed(few, actors=1, sources=1)
    _references_changed(many, actors=20, sources=20)
    with CaptureQueriesContext(connection) as queries:
        assert desk.get(f"/admin/events/development/{few.pk}/history/diff/?from=1&to=2").status_code == 200
    with django_assert_max_num_queries(len(queries)):
        page = desk.get(f"/admin/events/development/{many.pk}/history/diff/?from=1&to=2")
    assert page.content.decode().count("Outlet: Report") == 20  # every source by its name

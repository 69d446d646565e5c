"""Desk pages keep a constant number of queries as versions and claims grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from tests.factories import edit_many_times, make_actor, make_claim, make_development, make_source
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def _grow(development, claims: int, versions: int, actors) -> None:
    for i in range(claims):
        make_claim(development, actor=actors[i % len(actors)], figure_best=i,
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


def test_pages_take_as_many_queries_with_50_versions_and_200_claims_as_with_2(desk):
    actors = [make_actor(affiliation=make_actor()) for _ in range(4)]
    development = make_development()
    _grow(development, claims=2, versions=2, actors=actors)
    for url in _pages(development):  # a first request fills Django's content-type cache
        desk.get(url)
    baseline = {url: count_queries(desk, url) for url in _pages(development)}

    _grow(development, claims=198, versions=48, actors=actors)

    # Each page: the session, the editor, the editor's permissions, then reads of its own
    # that are fixed per page (a list: its count and its page of rows with what they show).
    assert {url: count_queries(desk, url) for url in _pages(development)} == baseline



def test_history_diff_and_restore_take_as_many_queries_with_20_versions_as_with_2(desk):
    # 1: the session, 2: the editor, 3: the development, 4-5: the editor's own and group
    # permissions, 6: the versions shown (all, for the history; two for diff and restore)
    # with their revisions and authors; diff and restore compare them: 7: their actor sets,
    # 8: their source sets, and name what they show: 9: the actors named, 10: the sources named.
    development = edit_many_times(make_development(), 1)
    base = f"/admin/events/development/{development.pk}/history/"
    pages = {base: 6, base + "diff/?from=1&to=2": 10, base + "1/restore/": 10}
    assert {url: count_queries(desk, url) for url in pages} == pages

    development = edit_many_times(development, 18)
    assert development.version == 20
    assert {url: count_queries(desk, url) for url in pages} == pages



def test_a_conflict_takes_as_many_queries_18_versions_behind_as_1(desk):
    # 1-8: as the restore page above; the refused restore: the version to restore, the
    # story, a savepoint (PostgreSQL: and the revision lock), the latest revision, the new
    # revision and its story link, the restored version's actor and source sets, the current
    # row (stale: rolled back); the conflict report: the versions since the one opened, with
    # their actor and source sets.
    development = edit_many_times(make_development(), 1)
    url = f"/admin/events/development/{development.pk}/history/1/restore/"

    def conflict_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = desk.post(url, {"change_message": "Back", "base_version": 1})
        assert response.context["conflict"]["opened"] == 1
        return len(queries)

    small = conflict_queries()
    edit_many_times(development, 18)
    assert conflict_queries() == small


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

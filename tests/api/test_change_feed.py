"""The change feed: revisions in id order with field diffs, paged by a cursor that never skips one."""

import threading
import time

import pytest
from django.db import connections

from events import services
from events.models import Development
from record.models import Revision
from tests.factories import edit_many_times, make_claim, make_development, make_editor, make_story
from tests.queries import count_queries


def _page_all(client, url):
    """Follow `next` while `has_more`; return the revision ids seen and the last page."""
    seen = []
    while True:
        page = client.get(url).json()
        seen += [entry["id"] for entry in page["results"]]
        url = page["next"]
        if not page["has_more"]:
            return seen, page


def test_each_revision_comes_with_its_message_kind_time_author_and_diffs(api, db):
    editor = make_editor()
    development = make_development(title="Shelling reported")
    after = Revision.objects.order_by("-id").first().id
    services.development_update(author=editor, development=development, base_version=1,
                                message="Town named", changes={"title": "Shelling of Stepanakert"},
                                kind="correction", minor=False)
    [entry] = api.get(f"/api/changes/?after={after}").json()["results"]
    assert (entry["message"], entry["kind"], entry["minor"]) == ("Town named", "correction", False)
    assert entry["author"] == editor.username and entry["story"] == development.story.slug
    assert entry["created_at"]
    [item] = entry["items"]
    assert (item["type"], item["id"], item["version"]) == ("development", development.id, 2)
    [change] = item["changes"]
    assert (change["field"], change["before"], change["after"]) == (
        "title", "Shelling reported", "Shelling of Stepanakert")


def test_a_creation_lists_the_new_items_fields(api, db):
    development = make_development(title="Talks in Yevlakh")
    entry = api.get("/api/changes/?after=0").json()["results"][-1]
    [item] = entry["items"]
    assert item["id"] == development.id and item["version"] == 1
    assert {"field": "title", "after": "Talks in Yevlakh"}.items() <= next(
        c for c in item["changes"] if c["field"] == "title").items()


def test_paging_with_interleaved_writes_misses_nothing(api, db):
    editor = make_editor()
    story = make_story()
    seen = []
    url = "/api/changes/?after=0&limit=3"
    for round_ in range(4):
        make_development(story, author=editor, title=f"Round {round_}")
        page = api.get(url).json()
        seen += [entry["id"] for entry in page["results"]]
        url = page["next"]
        make_development(story, author=editor, title=f"Between {round_}")
    rest, _ = _page_all(api, url)
    seen += rest
    assert seen == list(Revision.objects.order_by("id").values_list("id", flat=True))


def test_the_story_filter_keeps_only_that_storys_revisions(api, db):
    one, other = make_story(), make_story()
    make_development(one)
    make_development(other)
    results = api.get(f"/api/changes/?story={one.slug}").json()["results"]
    assert {entry["story"] for entry in results} == {one.slug}
    assert len(results) == 2


@pytest.mark.parametrize("query", ["after=abc", "after=-1", "limit=0", "limit=100000",
                                   "story=no-such-story", "after=99999999999999999999999"])
def test_a_bad_cursor_or_filter_is_a_400_with_the_field(api, db, query):
    response = api.get(f"/api/changes/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_an_empty_page_keeps_the_cursor(api, db):
    make_development()
    last = Revision.objects.order_by("-id").first().id
    page = api.get(f"/api/changes/?after={last}").json()
    assert page["results"] == [] and page["last_id"] == last and page["has_more"] is False
    assert page["next"].endswith(f"after={last}&limit=50")


def test_a_page_costs_the_same_queries_however_many_revisions_it_holds(api, db,
                                                                       django_assert_max_num_queries):
    editor = make_editor()
    story = make_story()
    development = make_development(story, author=editor)
    for n in range(70):
        services.development_update(author=editor, development=development, base_version=n + 1,
                                    message=f"Edit {n}", changes={"summary": f"Summary {n}"})
        make_claim(development, author=editor)
    assert Revision.objects.count() > 200
    # session/throttle: 0; latest revision id (ETag): 1; revisions: 1; per model (6) versions and
    # previous versions: 12; many-to-many of developments (2) and claims (1), twice: 6.
    with django_assert_max_num_queries(20):
        response = api.get("/api/changes/?after=0&limit=200")
    assert len(response.json()["results"]) == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connections['default'].vendor != 'postgresql'")
def test_a_reader_polling_while_editors_write_sees_every_revision_once(client):
    editor = make_editor()
    story = make_story(author=editor)
    development = Development.objects.get(pk=make_development(story, author=editor).pk)
    errors = []

    def write(prefix):
        try:
            for n in range(15):
                make_development(story, author=editor, title=f"{prefix} {n}")
        except BaseException as exc:  # noqa: BLE001 (reported to the main thread)
            errors.append(exc)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=write, args=(name,)) for name in ("A", "B")]
    for thread in writers:
        thread.start()
    seen, after = [], 0
    deadline = time.monotonic() + 30
    while any(t.is_alive() for t in writers) or after < Revision.objects.order_by("-id").first().id:
        assert time.monotonic() < deadline, "the feed did not catch up"
        page = client.get(f"/api/changes/?after={after}&limit=4").json()
        seen += [entry["id"] for entry in page["results"]]
        after = page["last_id"]
    for thread in writers:
        thread.join()
    assert not errors, errors
    assert development.version == 1
    assert seen == list(Revision.objects.order_by("id").values_list("id", flat=True))


def test_a_page_costs_the_same_queries_with_20_versions_changing_actors_and_sources_as_with_2(api, db):
    # 1: the latest revision id (the ETag), 2: the page of revisions with their authors and
    # stories, then the versions written, per model: 3: stories (none), 4: actors, 5: sources,
    # 6: developments, 7-8: their actor and source sets, 9: the developments' versions before
    # them, 10-11: their sets, 12: briefings (none), 13: claims (none).
    development = make_development()
    after = Revision.objects.order_by("-id").first().id
    url = f"/api/changes/?after={after}&limit=200"
    development = edit_many_times(development, 2)
    assert count_queries(api, url) == 13

    edit_many_times(development, 18)
    assert count_queries(api, url) == 13

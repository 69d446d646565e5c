"""GET /api/search/: results with type, id, url, title, snippet; history fields; cursor; ETag; facets."""

import pytest
from rest_framework.test import APIClient

from events import services
from tests.factories import make_claim, make_development, make_story, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def api():
    return APIClient()


def test_each_result_carries_type_id_url_title_and_snippet(api, committed):
    with committed():
        story = make_story(slug="talks")
        development = make_development(story=story, title="Talks in Yevlakh",
                                       summary="Delegations met in Yevlakh for two hours.")
        claim = make_claim(development=development, paraphrase="The Yevlakh talks were constructive")
    body = api.get("/api/search/", {"q": "Yevlakh"}).json()
    assert {(row["type"], row["id"], row["url"]) for row in body["results"]} == {
        ("development", development.id, f"/stories/talks/developments/{development.id}/"),
        ("claim", claim.id, f"/stories/talks/claims/{claim.id}/")}  # a claim's own page
    row = next(row for row in body["results"] if row["type"] == "development")
    assert (row["title"], row["snippet"]) == ("Talks in Yevlakh", "Delegations met in Yevlakh for two hours.")
    assert body["total"] == 2 and body["next"] is None


def test_with_history_a_result_says_when_it_was_first_said_and_when_it_stopped(api, committed):
    with committed():
        development = make_development(title="Shelling", summary="200 dead")
        development = services.development_update(
            author=make_user(), development=development, base_version=1, message="Correction",
            changes={"summary": "27 dead"}, kind="correction")
    row = api.get("/api/search/", {"q": '"200 dead"', "history": "true"}).json()["results"][0]
    first, second = development.history.order_by("version")
    assert (row["first_revision"], row["last_revision"]) == (first.revision_id, second.revision_id)
    assert row["removed_at"].startswith(str(second.revision.created_at.date()))
    assert row["diff_url"].endswith("/diff/?from=1&to=2")
    assert "first_revision" not in api.get("/api/search/", {"q": '"27 dead"'}).json()["results"][0]


def test_the_cursor_pages_through_every_result_once(api, committed):
    with committed():
        story = make_story()
        ids = {make_development(story=story, title=f"Evacuation {n}").id for n in range(5)}
    seen, url = [], "/api/search/?q=evacuation&limit=2"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(ids)


def test_an_unchanged_search_answers_304_and_a_new_version_changes_its_etag(api, committed):
    with committed():
        development = make_development(title="Ceasefire")
    etag = api.get("/api/search/", {"q": "ceasefire"})["ETag"]
    assert api.get("/api/search/", {"q": "ceasefire"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with committed():
        services.development_update(author=make_user(), development=development, base_version=1,
                                    message="Edit", changes={"summary": "Ceasefire holds"})
    assert api.get("/api/search/", {"q": "ceasefire"}, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_facets_are_parameters_and_come_back_counted(api, committed):
    with committed():
        story = make_story(slug="offensive")
        make_development(story=story, title="Shelling", kind="military_action")
        make_development(title="Shelling talks", kind="negotiation")
    body = api.get("/api/search/", {"q": "shelling", "story": "offensive"}).json()
    assert [row["title"] for row in body["results"]] == ["Shelling"]
    assert body["facets"]["kind"] == {"military_action": 1}
    assert sum(body["facets"]["story"].values()) == 2  # the story facet counts under the others


@pytest.mark.parametrize("params", [
    {"q": '"unbalanced'}, {"q": "OR"}, {"q": "AND NOT -"}, {"q": "(((*"}, {"q": "\x01ceasefire\x7f"},
    {"q": "NEAR(a b)"}, {"q": "title:x"}, {"q": '"" ""'},
])
def test_odd_queries_are_read_as_plain_words_or_refused_never_a_500(api, committed, params):
    with committed():
        make_development(title="Ceasefire or not")
    assert api.get("/api/search/", params).status_code in (200, 400)


@pytest.mark.parametrize("params, names", [
    ({"q": "x" * 10_000}, "500 characters"), ({"q": ""}, "word or a phrase"), ({"q": "-- ()"}, "word"),
    ({"q": "a", "as_of": "yesterday"}, "ISO 8601"), ({"q": "a", "kind": "battle"}, "kind"),
    ({"q": "a", "story": "nope"}, "no story"), ({"q": "a", "cursor": "!!"}, "cursor"),
    ({"q": "a", "from": "2023-13-45"}, "date"), ({"q": "a", "history": "maybe"}, "history"),
    ({"q": "a", "limit": "100000"}, "limit"),
])
def test_what_cannot_be_a_search_is_a_400_that_says_why(api, params, names):
    response = api.get("/api/search/", params)
    assert response.status_code == 400
    assert names in response.json()["q"][0]

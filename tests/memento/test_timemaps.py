"""TimeMaps: every moment a page changed, in link-format (RFC 6690) and JSON, paged."""

from __future__ import annotations

import pytest

from tests.memento.linkformat import only, parse_links, with_rel

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

TIMEMAP = "/timemap/link/stories/offensive/"


def test_the_story_timemap_lists_every_revision_of_the_story_as_link_format(client, recorded):
    response = client.get(TIMEMAP)
    assert response["Content-Type"].startswith("application/link-format")
    links = parse_links(response.content.decode())
    assert only(links, "original").uri == "http://testserver/stories/offensive/"
    assert only(links, "timegate").uri == "http://testserver/stories/offensive/"
    mementos = with_rel(links, "memento")
    assert [m.params["datetime"] for m in mementos] == [
        "Tue, 19 Sep 2023 08:00:00 GMT", "Tue, 19 Sep 2023 10:00:00 GMT",
        "Wed, 20 Sep 2023 09:00:00 GMT", "Thu, 21 Sep 2023 15:30:00 GMT"]
    assert mementos[0].rels == {"first", "memento"} and mementos[-1].rels == {"last", "memento"}
    assert only(links, "self").params["from"] == "Tue, 19 Sep 2023 08:00:00 GMT"


def test_each_memento_of_the_timemap_answers_its_own_datetime(client, recorded):
    for memento in with_rel(parse_links(client.get(TIMEMAP).content.decode()), "memento"):
        assert client.get(memento.uri)["Memento-Datetime"] == memento.params["datetime"]


def test_the_development_timemap_counts_its_claims_changes(client, recorded):
    url = f"/timemap/link/stories/offensive/developments/{recorded.development.pk}/"
    mementos = with_rel(parse_links(client.get(url).content.decode()), "memento")
    assert [m.params["datetime"][5:22] for m in mementos] == [
        "19 Sep 2023 10:00", "20 Sep 2023 09:00", "21 Sep 2023 15:30"]


def test_the_json_timemap_holds_the_same_list(client, recorded):
    body = client.get("/timemap/json/stories/offensive/").json()
    assert body["original_uri"] == "http://testserver/stories/offensive/"
    assert [entry["datetime"] for entry in body["mementos"]["list"]][0] == "Tue, 19 Sep 2023 08:00:00 GMT"
    assert body["mementos"]["last"]["datetime"] == "Thu, 21 Sep 2023 15:30:00 GMT"
    assert body["pages"] == {"prev": None, "next": None}


def test_a_long_timemap_comes_in_pages_linked_by_next_and_prev(client, recorded, settings):
    settings.MEMENTO_TIMEMAP_PAGE_SIZE = 3
    first = parse_links(client.get(TIMEMAP).content.decode())
    assert len(with_rel(first, "memento")) == 3 and not with_rel(first, "prev")
    second = parse_links(client.get(only(first, "next").uri).content.decode())
    assert [m.params["datetime"] for m in with_rel(second, "memento")] == ["Thu, 21 Sep 2023 15:30:00 GMT"]
    assert not with_rel(second, "next")
    back = parse_links(client.get(only(second, "prev").uri).content.decode())
    assert [m.uri for m in with_rel(back, "memento")] == [m.uri for m in with_rel(first, "memento")]


def test_the_json_timemap_pages_too(client, recorded, settings):
    settings.MEMENTO_TIMEMAP_PAGE_SIZE = 2
    body = client.get("/timemap/json/stories/offensive/").json()
    assert len(body["mementos"]["list"]) == 2 and body["pages"]["prev"] is None
    following = client.get(body["pages"]["next"]).json()
    assert [e["datetime"][5:16] for e in following["mementos"]["list"]] == ["20 Sep 2023", "21 Sep 2023"]


@pytest.mark.parametrize("url", ["/timemap/link/stories/nothing/", "/timemap/link/search/",
                                 "/timemap/xml/stories/offensive/", "/timemap/link/no/such/page"])
def test_a_timemap_of_what_has_no_mementos_is_not_found(client, recorded, url):
    assert client.get(url).status_code == 404


def test_a_bad_page_key_is_a_400(client, recorded):
    assert client.get(TIMEMAP + "?after=x").status_code == 400

"""The story page speaks Memento (RFC 7089 pattern 1.1): its own TimeGate; `?as_of=` pages are Mementos."""

from __future__ import annotations

import pytest

from tests.memento.linkformat import only, parse_links

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PAGE = "/stories/offensive/"


def timegate(client, date: str, url: str = PAGE):
    return client.get(url, headers={"accept-datetime": date})


def test_a_plain_get_names_the_page_as_its_own_timegate_and_its_timemap(client, recorded):
    response = client.get(PAGE)
    assert response.status_code == 200
    links = parse_links(response["Link"])
    assert only(links, "timegate").uri == "http://testserver/stories/offensive/"
    assert only(links, "original").uri == "http://testserver/stories/offensive/"
    timemap = only(links, "timemap")
    assert timemap.uri == "http://testserver/timemap/link/stories/offensive/"
    assert timemap.params["type"] == "application/link-format"
    assert "accept-datetime" in response["Vary"].lower()
    assert "Memento-Datetime" not in response


def test_accept_datetime_redirects_to_the_memento_of_that_moment(client, recorded):
    response = timegate(client, "Wed, 20 Sep 2023 12:00:00 GMT")
    assert response.status_code == 302
    assert response["Location"] == "http://testserver/stories/offensive/?as_of=2023-09-20T09:00:00%2B00:00"
    assert "accept-datetime" in response["Vary"].lower()
    assert only(parse_links(response["Link"]), "timegate").uri == "http://testserver/stories/offensive/"


def test_a_date_before_the_story_existed_redirects_to_its_first_memento(client, recorded):
    response = timegate(client, "Mon, 01 Jan 2001 00:00:00 GMT")
    assert response["Location"].endswith("?as_of=2023-09-19T08:00:00%2B00:00")


def test_a_date_after_the_last_change_redirects_to_the_last_memento(client, recorded):
    response = timegate(client, "Fri, 01 Jan 2100 00:00:00 GMT")
    assert response["Location"].endswith("?as_of=2023-09-21T15:30:00%2B00:00")


def test_the_exact_instant_of_a_revision_gives_that_revision(client, recorded):
    response = timegate(client, "Tue, 19 Sep 2023 10:00:00 GMT")
    assert response["Location"].endswith("?as_of=2023-09-19T10:00:00%2B00:00")


def test_one_second_before_a_revision_gives_the_one_before(client, recorded):
    response = timegate(client, "Tue, 19 Sep 2023 09:59:59 GMT")
    assert response["Location"].endswith("?as_of=2023-09-19T08:00:00%2B00:00")


@pytest.mark.parametrize("date", ["yesterday", "2023-09-20T12:00:00Z", "Wed, 20 Sep 2023 12:00:00",
                                  "Wed, 32 Sep 2023 12:00:00 GMT", ""])
def test_an_unreadable_date_is_a_400_that_says_what_to_send(client, recorded, date):
    response = timegate(client, date)
    assert response.status_code == 400
    assert "RFC 1123" in response.content.decode()


def test_a_memento_answers_the_recorded_time_of_the_revision_it_shows(client, recorded):
    # 20 Sept 12:00 shows the state after the claim was recorded at 09:00 (the publication clock).
    response = client.get(PAGE + "?as_of=2023-09-20T12:00Z")
    assert response.status_code == 200
    assert response["Memento-Datetime"] == "Wed, 20 Sep 2023 09:00:00 GMT"


def test_a_memento_links_the_original_timegate_timemap_and_its_neighbours(client, recorded):
    links = parse_links(client.get(PAGE + "?as_of=2023-09-20T09:00:00Z")["Link"])
    assert only(links, "original").uri == "http://testserver/stories/offensive/"
    assert only(links, "timemap").uri == "http://testserver/timemap/link/stories/offensive/"
    expected = {"first": "Tue, 19 Sep 2023 08:00:00 GMT", "last": "Thu, 21 Sep 2023 15:30:00 GMT",
                "prev": "Tue, 19 Sep 2023 10:00:00 GMT", "next": "Thu, 21 Sep 2023 15:30:00 GMT"}
    for word, datetime in expected.items():
        assert only(links, f"{word}").params["datetime"] == datetime, word
    assert only(links, "next").uri.endswith("?as_of=2023-09-21T15:30:00%2B00:00")


def test_the_first_memento_has_no_prev(client, recorded):
    links = parse_links(client.get(PAGE + "?as_of=2023-09-19T08:00:00Z")["Link"])
    assert not [link for link in links if "prev" in link.rels]


def test_a_memento_is_kept_long_by_the_edge(client, recorded, settings):
    response = client.get(PAGE + "?as_of=2023-09-20T09:00:00Z")
    assert f"s-maxage={settings.EDGE_LASTING_S_MAXAGE}" in response["Cache-Control"]
    assert "story-" in response["xkey"]  # still purged when the story changes: its "next" link moves


def test_a_moment_before_anything_was_recorded_is_no_memento(client, recorded):
    response = client.get(PAGE + "?as_of=2001-01-01")
    assert response.status_code == 200
    assert "Memento-Datetime" not in response


def test_a_memento_ignores_accept_datetime(client, recorded):
    response = client.get(PAGE + "?as_of=2023-09-20T09:00:00Z",
                          headers={"accept-datetime": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert response.status_code == 200
    assert response["Memento-Datetime"] == "Wed, 20 Sep 2023 09:00:00 GMT"


def test_an_unknown_story_is_still_a_404_with_accept_datetime(client, recorded):
    assert timegate(client, "Wed, 20 Sep 2023 12:00:00 GMT", "/stories/nothing/").status_code == 404

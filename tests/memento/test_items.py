"""Development and claim pages, and the API's story, development and claim, speak Memento too."""

from __future__ import annotations

import pytest

from tests.memento.linkformat import only, parse_links

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

AFTER_THE_CLAIM = "Wed, 20 Sep 2023 12:00:00 GMT"


def _pages(recorded) -> dict[str, str]:
    story, development, claim = recorded.story.slug, recorded.development.pk, recorded.claim.pk
    return {"development": f"/stories/{story}/developments/{development}/",
            "claim": f"/stories/{story}/claims/{claim}/",
            "api story": f"/api/stories/{story}/", "api development": f"/api/developments/{development}/",
            "api claim": f"/api/claims/{claim}/"}


@pytest.mark.parametrize("name", ["development", "claim", "api story", "api development", "api claim"])
def test_a_plain_get_names_its_timegate_and_timemap(client, recorded, name):
    url = _pages(recorded)[name]
    response = client.get(url)
    assert response.status_code == 200
    links = parse_links(response["Link"])
    assert only(links, "timegate").uri == f"http://testserver{url}"
    assert only(links, "timemap").uri == f"http://testserver/timemap/link{url}"
    assert "accept-datetime" in response["Vary"].lower()


@pytest.mark.parametrize("name, recorded_at", [
    ("development", "Wed, 20 Sep 2023 09:00:00 GMT"),  # its claim was recorded then: the page changed
    ("claim", "Wed, 20 Sep 2023 09:00:00 GMT"),
    ("api story", "Wed, 20 Sep 2023 09:00:00 GMT"),
    ("api development", "Tue, 19 Sep 2023 10:00:00 GMT"),  # the API's development shows its own fields
    ("api claim", "Wed, 20 Sep 2023 09:00:00 GMT"),
])
def test_accept_datetime_leads_to_a_memento_of_the_recorded_time(client, recorded, name, recorded_at):
    url = _pages(recorded)[name]
    redirect = client.get(url, headers={"accept-datetime": AFTER_THE_CLAIM})
    assert redirect.status_code == 302
    memento = client.get(redirect["Location"])
    assert memento.status_code == 200
    assert memento["Memento-Datetime"] == recorded_at
    assert only(parse_links(memento["Link"]), "original").uri == f"http://testserver{url}"


def test_the_development_page_as_it_was_shows_the_old_summary(client, recorded):
    url = _pages(recorded)["development"]
    before = client.get(url + "?as_of=2023-09-20T12:00Z").content.decode()
    assert "First word." in before and "Second word." not in before
    assert "As it was known on" in before
    assert "Second word." in client.get(url).content.decode()


def test_the_claim_page_before_the_claim_existed_is_not_found(client, recorded):
    assert client.get(_pages(recorded)["claim"] + "?as_of=2023-09-19T12:00Z").status_code == 404


def test_the_api_answers_a_bad_accept_datetime_in_json(client, recorded):
    response = client.get(_pages(recorded)["api claim"], headers={"accept-datetime": "soon"})
    assert response.status_code == 400
    assert "RFC 1123" in response.json()["accept_datetime"][0]


def test_a_development_under_another_storys_slug_is_no_timegate(client, recorded):
    url = f"/stories/elsewhere/developments/{recorded.development.pk}/"
    assert client.get(url, headers={"accept-datetime": AFTER_THE_CLAIM}).status_code == 404
    assert client.get(f"/timemap/link{url}").status_code == 404


def test_a_head_request_gets_the_same_redirect_from_the_api(client, recorded):
    response = client.head(_pages(recorded)["api claim"], headers={"accept-datetime": AFTER_THE_CLAIM})
    assert response.status_code == 302 and "?as_of=2023-09-20T09:00:00" in response["Location"]

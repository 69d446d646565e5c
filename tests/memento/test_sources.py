"""A captured source: each archived copy is a Memento of the source's URL, with a TimeGate and a TimeMap."""

from __future__ import annotations

import datetime as dt

import pytest

from archive.models import Capture
from archive.services import source_capture_file
from tests.factories import make_source
from tests.memento.linkformat import only, parse_links, with_rel

pytestmark = pytest.mark.django_db

URL = "https://news.example/report"


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def captures(db):
    """Cited and captured 20 Sept 09:00; the page found changed 22 Sept 09:00 (same WARC, for brevity);
    an unchanged check between keeps no copy and is no Memento."""
    source = make_source(url=URL, outlet="Wire", title="Report", at=at(19, 9))
    cited = source_capture_file(source.pk, b"Troops advanced.", content_type="text/plain", at=at(20, 9))
    Capture.objects.create(source=source, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.UNCHANGED,
                           requested_url=URL, captured_at=at(21, 9))
    changed = Capture.objects.create(
        source=source, reason=Capture.Reason.CHECK, outcome=Capture.Outcome.CHANGED, requested_url=URL,
        captured_at=at(22, 9), warc=cited.warc.name, sha256=cited.sha256, size=cited.size)
    return source, cited, changed


def test_an_archived_copy_answers_its_capture_time_and_the_sources_url(client, captures):
    source, cited, _ = captures
    response = client.get(f"/sources/{source.pk}/archive/")
    assert response.status_code == 200
    assert response["Memento-Datetime"] == "Wed, 20 Sep 2023 09:00:00 GMT"
    links = parse_links(response["Link"])
    assert only(links, "original").uri == URL
    assert only(links, "timegate").uri == f"http://testserver/sources/{source.pk}/timegate/"
    assert only(links, "timemap").uri == f"http://testserver/sources/{source.pk}/timemap/link"


def test_the_sources_timemap_lists_its_kept_captures(client, captures):
    source, cited, changed = captures
    links = parse_links(client.get(f"/sources/{source.pk}/timemap/link").content.decode())
    assert only(links, "original").uri == URL
    copy = f"http://testserver/sources/{source.pk}/archive/?capture="
    assert [(m.uri, m.params["datetime"]) for m in with_rel(links, "memento")] == [
        (f"{copy}{cited.pk}", "Wed, 20 Sep 2023 09:00:00 GMT"),
        (f"{copy}{changed.pk}", "Fri, 22 Sep 2023 09:00:00 GMT"),
    ]


def test_the_sources_timemap_comes_in_json(client, captures):
    source, *_ = captures
    body = client.get(f"/sources/{source.pk}/timemap/json").json()
    assert body["original_uri"] == URL and len(body["mementos"]["list"]) == 2


@pytest.mark.parametrize("date, day", [("Thu, 21 Sep 2023 12:00:00 GMT", "cited"),
                                       ("Mon, 01 Jan 2001 00:00:00 GMT", "cited"),
                                       ("Fri, 22 Sep 2023 09:00:00 GMT", "changed"),
                                       ("Fri, 01 Jan 2100 00:00:00 GMT", "changed")])
def test_the_timegate_over_captures_picks_the_copy_of_that_moment(client, captures, date, day):
    source, cited, changed = captures
    response = client.get(f"/sources/{source.pk}/timegate/", headers={"accept-datetime": date})
    assert response.status_code == 302
    expected = {"cited": cited, "changed": changed}[day]
    assert response["Location"] == f"http://testserver/sources/{source.pk}/archive/?capture={expected.pk}"
    assert "accept-datetime" in response["Vary"].lower()


def test_the_timegate_without_a_date_gives_the_latest_copy(client, captures):
    source, _, changed = captures
    assert client.get(f"/sources/{source.pk}/timegate/")["Location"].endswith(f"?capture={changed.pk}")


def test_the_timegate_refuses_an_unreadable_date(client, captures):
    source, *_ = captures
    response = client.get(f"/sources/{source.pk}/timegate/", headers={"accept-datetime": "Thursday"})
    assert response.status_code == 400


def test_a_source_never_captured_has_no_timemap(client, db):
    source = make_source(url="https://news.example/other")
    assert client.get(f"/sources/{source.pk}/timemap/link").status_code == 404
    assert client.get(f"/sources/{source.pk}/timegate/").status_code == 404


def test_a_source_url_with_link_syntax_in_it_cannot_break_the_link_header(client, db):
    source = make_source(url='https://news.example/a>;rel="x', at=at(19, 9))
    source_capture_file(source.pk, b"Text.", content_type="text/plain", at=at(20, 9))
    links = parse_links(client.get(f"/sources/{source.pk}/archive/")["Link"])
    assert only(links, "original").uri == "https://news.example/a%3E;rel=%22x"

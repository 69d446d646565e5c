"""One parser reads "as of" moments for pages and the API."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from record.moments import parse_moment

UTC = dt.UTC


@pytest.mark.parametrize("text, expected", [
    ("2023-09-20T12:00:00Z", dt.datetime(2023, 9, 20, 12, tzinfo=UTC)),
    ("2023-09-20T16:00:00+04:00", dt.datetime(2023, 9, 20, 12, tzinfo=UTC)),
    ("2023-09-20T16:00:00 04:00", dt.datetime(2023, 9, 20, 12, tzinfo=UTC)),  # '+' sent unescaped
    ("2023-09-20T12:00", dt.datetime(2023, 9, 20, 12, tzinfo=UTC)),  # no offset: UTC
    ("2023-09-20", dt.datetime(2023, 9, 20, tzinfo=UTC)),  # a day: its start
])
def test_it_reads_iso_8601_into_utc(text, expected):
    assert parse_moment(text) == expected


@pytest.mark.parametrize("text", [
    "", "yesterday", "2023-13-01", "２０２３-０９-２０", "0001-01-01T00:00:00+05:00",
])
def test_it_refuses_what_is_not_an_iso_8601_moment(text):
    assert parse_moment(text) is None


@pytest.mark.django_db
def test_pages_and_api_agree_on_full_width_digits(client, demo_story):
    query = {"as_of": "２０２３-０９-２０"}
    assert client.get(f"/stories/{demo_story.slug}/", query).status_code == 400
    assert APIClient().get("/api/developments/", query).status_code == 400


@pytest.mark.django_db
def test_the_api_reads_a_bare_date_like_the_pages(demo_story):
    response = APIClient().get("/api/developments/", {"as_of": "2023-09-20"})
    assert response.status_code == 200
    titles = [d["title"] for d in response.json()["results"]]
    assert titles and not any("Yevlakh" in t for t in titles)

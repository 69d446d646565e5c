"""Through the shipped VCL, each Accept-Datetime gets its own Memento, and Mementos are shared objects."""

from __future__ import annotations

import pytest
import requests

from tests.memento.conftest import recorded  # noqa: F401 (the story recorded over three days)

pytestmark = pytest.mark.django_db(transaction=True)


def through(edge, path: str, **headers) -> requests.Response:
    return requests.get(f"{edge.url}{path}", headers=headers, allow_redirects=False, timeout=30)


def test_two_accept_datetimes_get_their_own_mementos_through_varnish(edge, recorded):  # noqa: F811
    assert through(edge, "/stories/offensive/").status_code == 200  # the page itself is now kept
    first = through(edge, "/stories/offensive/", **{"Accept-Datetime": "Tue, 19 Sep 2023 09:00:00 GMT"})
    later = through(edge, "/stories/offensive/", **{"Accept-Datetime": "Thu, 21 Sep 2023 18:00:00 GMT"})
    assert (first.status_code, later.status_code) == (302, 302)
    assert first.headers["Location"].endswith("?as_of=2023-09-19T08:00:00%2B00:00")
    assert later.headers["Location"].endswith("?as_of=2023-09-21T15:30:00%2B00:00")
    path = "/stories/offensive/?as_of=" + first.headers["Location"].split("?as_of=")[1]
    assert through(edge, path).headers["Memento-Datetime"] == "Tue, 19 Sep 2023 08:00:00 GMT"
    again = through(edge, path, **{"Accept-Datetime": "Thu, 21 Sep 2023 18:00:00 GMT"})
    assert again.headers["X-Cache"] == "HIT"  # a Memento is one object whatever the header
    assert again.headers["Memento-Datetime"] == "Tue, 19 Sep 2023 08:00:00 GMT"

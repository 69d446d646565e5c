"""A TimeMap page, a TimeGate and a Memento cost the same number of queries however long the history."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from tests.factories import make_claim, make_development, make_user
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def edited(development, times: int):
    author = make_user()
    for n in range(times):
        development = services.development_update(
            author=author, development=development, base_version=development.version,
            message=f"Edit {n}", changes={"summary": f"Summary {n}."})
    return development


def queries_of(client, url: str, **headers) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code in (200, 302), url
    return len(queries)


def grown(times: int):
    development = make_development()
    make_claim(development=development)
    return edited(development, times)


@pytest.mark.parametrize("form", ["link", "json"])
def test_a_timemap_page_runs_the_same_queries_for_a_short_and_a_long_history(client, settings, form):
    settings.MEMENTO_TIMEMAP_PAGE_SIZE = 3
    short, long = grown(0), grown(5)
    counts = [count_queries(client, f"/timemap/{form}/stories/{d.story.slug}/developments/{d.pk}/")
              for d in (short, long)]
    assert counts[0] == counts[1], counts
    # 1: the first and last Mementos, 2-3: a keyset query per table (the development's versions, its claims')
    assert counts[1] == 3


def test_a_timegate_redirect_runs_the_same_queries_for_a_short_and_a_long_history(client):
    short, long = grown(0), grown(5)
    late = {"accept-datetime": "Fri, 01 Jan 2100 00:00:00 GMT"}
    counts = [queries_of(client, f"/stories/{d.story.slug}/", **late) for d in (short, long)]
    assert counts[0] == counts[1], counts

"""/search/ and its Atom feed: server-rendered, grouped by development, escaped, highlighted."""

import pytest
from django.test import Client

from events import services
from tests.factories import make_claim, make_development, make_story, make_user
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def client():
    return Client()


def test_every_page_has_a_search_box(client, committed):
    with committed():
        story = make_story()
    html = client.get(f"/stories/{story.slug}/").content.decode()
    assert '<form class="site-search" role="search" method="get" action="/search/">' in html


def test_results_are_grouped_by_development_with_claims_under_theirs(client, committed):
    with committed():
        development = make_development(title="Shelling of Stepanakert")
        make_claim(development=development, paraphrase="The shelling hit homes")
    html = client.get("/search/", {"q": "shelling"}).content.decode()
    assert html.count('class="hit-group"') == 1
    assert html.count('class="hit"') == 2


def test_matches_are_marked_and_everything_else_escaped(client, committed):
    with committed():
        make_development(title="<script>alert(1)</script> shelling")
    html = client.get("/search/", {"q": "shelling"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>shelling</mark>" in html


def test_a_bad_search_is_a_400_page_that_says_why(client):
    response = client.get("/search/", {"q": "x" * 10_000})
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()


def test_the_feed_of_a_search_lists_the_newest_versions_that_say_it(client, committed):
    with committed():
        make_development(title="Peacekeepers leave")
    response = client.get("/search/feed.atom", {"q": "peacekeepers"})
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Peacekeepers leave</title>" in response.content.decode()


def _grow(story, count):
    for n in range(count):
        development = make_development(story=story, title=f"Shelling {n}")
        make_claim(development=development, paraphrase=f"Shelling claim {n}")


@pytest.mark.parametrize("url", ["/search/?q=shelling", "/search/?q=shelling&history=true",
                                 "/api/search/?q=shelling", "/api/search/?q=shelling&history=true"])
def test_a_search_costs_the_same_queries_as_results_and_versions_grow(client, committed, url):
    with committed():
        story = make_story()
        _grow(story, 2)
    few = count_queries(client, url)
    with committed():
        _grow(story, 6)
        for development in story.developments.all():
            for n in range(3):
                development = services.development_update(
                    author=make_user(), development=development, base_version=development.version,
                    message="Edit", changes={"summary": f"Shelling again {n}"})
    assert count_queries(client, url) == few

"""A real Varnish with the shipped VCL in front of the app: hits, purges by revision, passes, 304s."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from devsupport.ports import free_port
from devsupport.synthetic_log import grow_log
from publiclog import checkpoints
from tests.edge.fetching import fetch
from tests.factories import make_development, make_story, make_user
from tests.waiting import wait_for


def _page(edge, story) -> str:
    return f"{edge.url}/stories/{story.slug}/"


def _edit_title(live_server, development, title: str) -> None:
    """An editor's API edit, straight to the app (writes never go through the edge)."""
    # A superuser: a flushed database (transactional tests) has no editors group.
    token = Token.objects.create(user=make_user(is_superuser=True)).key
    url = f"{live_server.url}/api/developments/{development.id}/"
    auth = {"Authorization": f"Token {token}"}
    etag = fetch(url, headers=auth).header("ETag")
    edited = fetch(url, "PATCH", headers={**auth, "If-Match": etag},
                   data={"title": title, "message": "Named the town"})
    assert edited.status == 200, edited.body


def _warm(url: str) -> None:
    fetch(url)
    assert fetch(url).header("X-Cache") == "HIT"


def test_the_second_read_of_a_story_page_is_served_from_the_edge(edge):
    url = _page(edge, make_development().story)
    first, second = fetch(url), fetch(url)
    assert (first.status, first.header("X-Cache")) == (200, "MISS")
    assert (second.status, second.header("X-Cache")) == (200, "HIT")
    assert second.header("Age") is not None and second.body == first.body


def test_the_edge_keeps_surrogate_keys_to_itself(edge):
    response = fetch(_page(edge, make_development().story))
    assert response.header("xkey") is None
    assert "s-maxage=" in response.header("Cache-Control")


def test_after_an_api_edit_the_edge_serves_the_new_content(edge, live_server):
    development = make_development(title="Shelling reported")
    url = _page(edge, development.story)
    _warm(url)
    _edit_title(live_server, development, "Shelling of the town reported")
    wait_for(lambda: "Shelling of the town reported" in fetch(url).body, timeout=10)


def test_an_edit_leaves_the_pages_of_other_stories_cached(edge, live_server):
    edited, other = make_development(), make_development()
    other_url = _page(edge, other.story)
    _warm(other_url)
    _edit_title(live_server, edited, "Renamed")
    wait_for(lambda: "Renamed" in fetch(_page(edge, edited.story)).body, timeout=10)
    assert fetch(other_url).header("X-Cache") == "HIT"


@pytest.mark.parametrize("header", [{"Cookie": "sessionid=abc"}, {"Cookie": "csrftoken=abc"},
                                    {"Authorization": "Token abc"}])
def test_a_request_with_a_session_or_credentials_is_passed_and_never_stored(edge, header):
    url = _page(edge, make_development().story)
    _warm(url)
    response = fetch(url, headers=header)
    assert response.header("X-Cache") == "PASS"
    assert response.header("Cache-Control") == "private, no-store"


def test_the_desk_is_never_cached(edge):
    for _ in range(2):
        response = fetch(f"{edge.url}/admin/login/")
    assert response.header("X-Cache") == "PASS"
    assert response.header("Cache-Control") == "private, no-store"


def test_other_cookies_do_not_keep_a_reader_from_the_cache(edge):
    url = _page(edge, make_development().story)
    _warm(url)
    assert fetch(url, headers={"Cookie": "theme=dark"}).header("X-Cache") == "HIT"


@pytest.mark.parametrize("path", ["", "feed.atom"])
def test_a_conditional_get_through_the_edge_is_a_304(edge, path):
    url = _page(edge, make_development().story) + path
    etag = fetch(url).header("ETag")
    response = fetch(url, headers={"If-None-Match": etag})
    assert response.status == 304 and response.body == ""


def test_while_the_edge_is_down_editing_and_pages_keep_working(edge, live_server, settings):
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{free_port()}"]  # nothing listens there
    development = make_development(title="Before")
    _edit_title(live_server, development, "After the outage")
    page = fetch(f"{live_server.url}/stories/{development.story.slug}/")
    assert page.status == 200 and "After the outage" in page.body


def test_a_purge_with_no_keys_is_refused(edge):
    assert fetch(edge.url + "/", "PURGE").status == 400


def test_the_feed_of_an_edited_story_is_purged_too(edge, live_server):
    story = make_story()
    development = make_development(story=story, title="First title")
    url = f"{edge.url}/stories/{story.slug}/feed.atom"
    _warm(url)
    _edit_title(live_server, development, "Second title")
    wait_for(lambda: "Second title" in fetch(url).body, timeout=10)


def test_a_full_tile_of_the_log_is_served_from_the_edge_as_immutable(edge):
    grow_log(300, make_user().pk)
    url = f"{edge.url}/log/tile/0/000"
    first, second = fetch(url), fetch(url, headers={"Cookie": "sessionid=abc"})
    assert (first.status, first.header("X-Cache")) == (200, "MISS")
    assert second.header("X-Cache") == "HIT" and second.content == first.content
    assert len(first.content) == 8192
    assert second.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert second.header("xkey") is None


def test_a_new_checkpoint_purges_the_one_the_edge_kept(edge):
    grow_log(3, make_user().pk)
    checkpoints.sign_checkpoint(2)
    url = f"{edge.url}/log/checkpoint"
    _warm(url)
    checkpoints.sign_checkpoint(3)
    wait_for(lambda: "\n3\n" in fetch(url).body, timeout=10)

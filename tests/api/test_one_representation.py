"""Each API URL has one representation whatever Accept says, since the edge keeps it by URL alone.

Only the story's GeoJSON negotiates (GeoJSON or JSON) and says so with `Vary: Accept`.
"""

from __future__ import annotations

import json

import pytest
from django.urls import get_resolver
from rest_framework.views import APIView

from api.renderers import OneJSONRenderer
from publiclog.checkpoints import publish_checkpoint
from tests.factories import make_development

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _api_views(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _api_views(pattern.url_patterns)
            continue
        view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        if view is not None and issubclass(view, APIView):
            yield view


def test_every_api_view_renders_only_the_one_json_representation():
    # The schema and its docs pages (drf-spectacular) are the API's description, not its data.
    views = {view for view in _api_views() if not view.__module__.startswith("drf_spectacular")}
    assert len(views) > 10  # the walk found the API
    others = {view.__name__: [r.__name__ for r in view.renderer_classes] for view in views
              if not all(issubclass(r, OneJSONRenderer) for r in view.renderer_classes)}
    assert others == {}


def test_a_browser_asking_the_log_for_html_gets_the_json_a_verifier_gets(client):
    make_development()
    make_development()
    publish_checkpoint()
    # Immutable at the edge once asked: whoever asks first must not choose what later readers get.
    for path in ("/api/log/proof/inclusion?index=0&size=2", "/api/log/proof/consistency?from=1&to=2"):
        browser = client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT)
        verifier = client.get(path)
        assert browser["Content-Type"] == verifier["Content-Type"] == "application/json"
        assert browser.content == verifier.content


def test_an_indent_asked_in_accept_changes_no_byte_of_the_change_feed(client):
    make_development()
    plain = client.get("/api/changes/?after=0", HTTP_ACCEPT="application/json")
    indented = client.get("/api/changes/?after=0", HTTP_ACCEPT="application/json; indent=4")
    assert indented.status_code == plain.status_code == 200
    assert indented.content == plain.content
    assert b"\n" not in indented.content and json.loads(indented.content)["results"]


def test_the_story_geojson_negotiates_and_varies_on_accept(client):
    development = make_development()
    path = f"/api/stories/{development.story.slug}/geojson/"
    geojson = client.get(path)
    as_json = client.get(path, HTTP_ACCEPT="application/json")
    assert geojson["Content-Type"] == "application/geo+json"
    assert as_json["Content-Type"] == "application/json"
    assert "Accept" in geojson["Vary"] and "Accept" in as_json["Vary"]
    assert geojson["ETag"] != as_json["ETag"]

"""GeoJSON of a story's developments: RFC 7946 shapes, as-of views, cheap conditional polling."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache

from events.models import Development
from events.services import development_update
from tests.factories import make_development, make_story
from tests.queries import count_queries

from .support import SAMPLE, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def story(editor):
    story = make_story(author=editor, slug="acled-map")
    run_import(SAMPLE, story)
    return story


def _get(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def _assert_rfc7946(collection: dict) -> None:
    # §3.3: a FeatureCollection has "features", an array of Features; §4: no "crs" member.
    assert collection["type"] == "FeatureCollection" and isinstance(collection["features"], list)
    assert "crs" not in collection
    for feature in collection["features"]:
        # §3.2: a Feature has "geometry" and "properties" members.
        assert feature["type"] == "Feature" and {"geometry", "properties"} <= set(feature)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]  # §3.1.1: [longitude, latitude]
        assert all(isinstance(value, float | int) for value in (longitude, latitude))
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert isinstance(feature["properties"], dict)


def test_the_page_is_an_rfc7946_feature_collection(client, story):
    collection = _get(client, f"/stories/{story.slug}/developments.geojson")
    _assert_rfc7946(collection)
    assert len(collection["features"]) == 4


def test_positions_are_longitude_then_latitude(client, story):
    collection = _get(client, f"/stories/{story.slug}/developments.geojson")
    event = Development.objects.get(story=story, external_id="TST0001")
    feature = next(f for f in collection["features"] if f["id"] == event.id)
    assert feature["geometry"]["coordinates"] == [46.7528, 39.8177]


def test_properties_carry_kind_dates_no_more_precise_than_known_status_and_url(client, story):
    collection = _get(client, f"/stories/{story.slug}/developments.geojson")
    by_id = {f["properties"]["external_id"]: f["properties"] for f in collection["features"]}
    assert (by_id["TST0003"]["occurred"], by_id["TST0003"]["occurred_precision"]) == ("2023-09", "month")
    assert by_id["TST0003"]["occurred_text"] == "Sept 2023"
    assert by_id["TST0002"]["occurred"] == "2023-W38"
    assert by_id["TST0001"]["kind"] == "military_action" and by_id["TST0001"]["status"] == "reported"
    event = Development.objects.get(story=story, external_id="TST0001")
    assert by_id["TST0001"]["url"].endswith(f"/stories/{story.slug}/developments/{event.id}/")


def test_a_development_without_coordinates_has_no_feature(client, story, editor):
    make_development(story, author=editor)
    assert len(_get(client, f"/stories/{story.slug}/developments.geojson")["features"]) == 4


def test_as_of_shows_the_places_as_they_were_known(client, story, editor):
    moment = dt.datetime.now(dt.UTC)
    event = Development.objects.get(story=story, external_id="TST0001")
    development_update(author=editor, development=event, base_version=event.version,
                       message="Moved", changes={"latitude": 39.9, "longitude": 46.8},
                       at=moment + dt.timedelta(seconds=5))
    url = f"/stories/{story.slug}/developments.geojson"
    before_move = (moment + dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    then = _get(client, f"{url}?as_of={before_move}")
    now = _get(client, url)
    pick = {"then": then, "now": now}
    found = {name: next(f for f in c["features"] if f["id"] == event.id)["geometry"]["coordinates"]
             for name, c in pick.items()}
    assert found == {"then": [46.7528, 39.8177], "now": [46.8, 39.9]}


def test_a_bad_as_of_is_a_400(client, story):
    assert client.get(f"/stories/{story.slug}/developments.geojson?as_of=soon").status_code == 400


def test_a_conditional_get_is_answered_304_and_the_edge_may_keep_it(client, story):
    url = f"/stories/{story.slug}/developments.geojson"
    first = client.get(url)
    assert "s-maxage" in first["Cache-Control"] and f"story-{story.id}" in first["xkey"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_geojson_runs_the_same_queries_however_many_developments(client, editor):
    story = make_story(author=editor, slug="map-queries")
    make_development(story, author=editor, latitude=40.0, longitude=46.0)
    few = count_queries(client, f"/stories/{story.slug}/developments.geojson")
    for n in range(6):
        event = make_development(story, author=editor, latitude=40.0 + n / 10, longitude=46.0)
        development_update(author=editor, development=event, base_version=event.version, message="Edit",
                           changes={"summary": "Again"})
    assert count_queries(client, f"/stories/{story.slug}/developments.geojson") == few


def test_the_api_gives_the_same_collection(client, story):
    page = _get(client, f"/stories/{story.slug}/developments.geojson")
    api = _get(client, f"/api/stories/{story.slug}/geojson/")
    assert api == page


def test_the_story_page_links_to_its_geojson(client, story):
    page = client.get(f"/stories/{story.slug}/").content.decode()
    assert f'href="/stories/{story.slug}/developments.geojson"' in page


def test_the_api_honours_as_of_and_answers_304(client, story):
    url = f"/api/stories/{story.slug}/geojson/"
    assert _get(client, f"{url}?as_of=2000-01-01T00:00:00Z")["features"] == []
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_the_api_schema_names_the_geojson_read(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert "/api/stories/{slug}/geojson/" in schema["paths"]

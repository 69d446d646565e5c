"""The story map without JavaScript: a list of places with links, facets in the URL, as_of (issue 26)."""

from pathlib import Path

import pytest
from django.test import override_settings

from events import services
from events.models import Development
from record.models import Revision
from tests.factories import make_claim, make_development, make_story, make_user
from tests.pages.nu_checker import assert_pages_pass_the_nu_checker, needs_java
from tests.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]



def _placed(story, title, **fields):
    fields = {"latitude": 39.82, "longitude": 46.76, "geo_precision": Development.GeoPrecision.EXACT,
              "location": "Stepanakert", **fields}
    return make_development(story=story, title=title, **fields)


def _map(client, story, query=""):
    return client.get(f"/stories/{story.slug}/map/{query}")


def test_the_map_page_lists_each_place_with_a_link_to_its_development(client):
    story = make_story()
    shelled = _placed(story, "Shelling of Stepanakert")
    page = _map(client, story).content.decode()
    assert f'id="place-{shelled.id}"' in page
    assert f'href="/stories/{story.slug}/developments/{shelled.id}/"' in page
    assert "Stepanakert" in page and "Exact place" in page


def test_a_development_without_coordinates_is_listed_beside_the_map(client):
    story = make_story()
    talks = make_development(story=story, title="Talks in Brussels")
    page = _map(client, story).content.decode()
    assert "Not on the map" in page
    assert "Talks in Brussels" in page and f'id="place-{talks.id}"' not in page


def test_a_places_card_carries_its_claims(client):
    story = make_story()
    claim = make_claim(development=_placed(story, "Shelling"), paraphrase="Ten houses were hit")
    page = _map(client, story).content.decode()
    assert "Ten houses were hit" in page
    assert f"/stories/{story.slug}/claims/{claim.id}/" in page


def test_the_map_data_is_the_storys_geojson_of_the_places_shown(client):
    story = make_story()
    shelled = _placed(story, "Shelling", geo_precision=Development.GeoPrecision.REGION)
    response = _map(client, story)
    features = response.context["geojson"]["features"]
    assert [(f["id"], f["properties"]["geo_precision"]) for f in features] == [(shelled.id, "region")]
    assert 'id="map-features"' in response.content.decode()


def test_the_kind_and_key_facets_narrow_the_places_and_stay_in_the_form(client):
    story = make_story()
    truce = _placed(story, "Truce", kind=Development.Kind.CEASEFIRE, key_event=True)
    _placed(story, "Shelling", kind=Development.Kind.MILITARY_ACTION, key_event=True)
    _placed(story, "Another truce", kind=Development.Kind.CEASEFIRE)
    response = _map(client, story, "?kind=ceasefire&key=1")
    assert [e.development.id for e in response.context["placed"]] == [truce.id]
    assert '<option value="ceasefire" selected>' in response.content.decode()


@pytest.mark.parametrize("query", ["?kind=picnic", "?key=maybe", "?as_of=yesterday-ish"])
def test_bad_facets_get_a_clear_400(client, query):
    response = _map(client, make_story(), query)
    assert response.status_code == 400


def test_as_of_hides_what_was_not_yet_known(client):
    story = make_story()
    _placed(story, "Shelling")
    known = Revision.objects.latest("id").created_at
    _placed(story, "Later shelling")
    page = _map(client, story, f"?as_of={known.isoformat().replace('+00:00', 'Z')}").content.decode()
    assert "Shelling" in page and "Later shelling" not in page


def test_the_story_page_links_to_its_map(client):
    story = make_story()
    assert f'href="/stories/{story.slug}/map/"' in client.get(f"/stories/{story.slug}/").content.decode()


def test_the_map_loads_its_libraries_from_our_own_origin_only(client):
    page = _map(client, make_story()).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in page and "/static/vendor/world-atlas/" in page
    assert "https://" not in page.split("<body")[0].split("<title")[1]


@override_settings(MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_a_tile_server_is_allowed_for_the_maps_images_only(client):
    story = make_story()
    policy = _map(client, story)["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert "script-src 'self' 'unsafe-inline';" in policy
    assert "tiles.example.org" not in client.get(f"/stories/{story.slug}/")["Content-Security-Policy"]


def test_the_map_is_constant_query_as_places_and_versions_grow(client):
    story = make_story()

    def add_place(n):
        development = _placed(story, f"Shelling {n}")
        make_claim(development=development)
        services.development_update(author=make_user(), development=development, base_version=1,
                                    message="Edit", changes={"summary": "More"})

    add_place(0)
    few = count_queries(client, f"/stories/{story.slug}/map/")
    for n in range(1, 5):
        add_place(n)
    assert count_queries(client, f"/stories/{story.slug}/map/") == few


def test_every_development_kind_has_a_marker_colour():
    stylesheet = (Path(__file__).resolve().parents[2] / "static" / "css" / "tracker.css").read_text()
    uncoloured = [k for k in Development.Kind.values if f".kind-{k} {{ background:" not in stylesheet]
    assert uncoloured == []


@needs_java
def test_the_map_page_passes_the_nu_html_checker(client, tmp_path):
    story = make_story()
    make_claim(development=_placed(story, "Shelling"), paraphrase="Ten houses were hit")
    make_development(story=story, title="Talks in Brussels")
    assert_pages_pass_the_nu_checker(client, {"map": f"/stories/{story.slug}/map/"}, tmp_path)


def test_the_demo_storys_places_are_on_its_map(client, demo_story):
    placed = Development.objects.filter(story=demo_story, latitude__isnull=False)
    assert placed.count() >= 5  # the demo places most of its developments
    page = _map(client, demo_story).content.decode()
    for development in placed:
        assert f'id="place-{development.id}"' in page

"""A number beyond what the database can hold is a 400 naming the parameter (or a 404 for a path id).

On SQLite such a number used to reach the driver and raise OverflowError (a
500); on PostgreSQL a DataError. Marked `sqlite`: scripts/sqlite-path.sh runs
these on SQLite, the main suite on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.digests.helpers import make_subscription
from tests.factories import make_claim, make_editor

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

# Just past a 64-bit id, and far past it.
HUGE = [str(2**63), "99999999999999999999999"]


@pytest.fixture
def world():
    editor = make_editor()
    claim = make_claim(author=editor)
    token = Token.objects.create(user=editor)
    desk = Client(raise_request_exception=False)
    desk.force_login(editor)
    return {
        "editor": editor, "claim": claim, "development": claim.development,
        "slug": claim.development.story.slug, "desk": desk,
        "anyone": Client(raise_request_exception=False),
        "api": Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}"),
    }


def _api_queries(world, huge: str) -> list[tuple[str, str]]:
    pk = world["development"].pk
    return [
        (f"/api/claims/?development={huge}", "development"),
        (f"/api/claims/?actor={huge}", "actor"),
        (f"/api/developments/?actor={huge}", "actor"),
        (f"/api/developments/?actor={huge}&as_of=2100-01-01", "actor"),
        (f"/api/developments/{pk}/diff/?from=1&to={huge}", "to"),
        (f"/api/developments/{pk}/diff/?from={huge}", "from"),
        (f"/api/claims/{world['claim'].pk}/diff/?to={huge}", "to"),
        (f"/api/changes/?after={huge}", "after"),
        (f"/api/changes/?limit={huge}", "limit"),
    ]


@pytest.mark.parametrize("huge", HUGE)
def test_an_out_of_range_api_query_parameter_is_a_400_naming_it(world, huge):
    for url, name in _api_queries(world, huge):
        response = world["anyone"].get(url)
        assert response.status_code == 400, (url, response.status_code, response.content[:200])
        assert name in response.json(), (url, response.json())


@pytest.mark.parametrize("huge", HUGE)
def test_an_out_of_range_digest_id_to_redeliver_is_a_400_naming_it(world, huge):
    subscription = make_subscription(owner=world["editor"])
    response = world["api"].post(f"/api/subscriptions/{subscription.pk}/redeliver/",
                                 json.dumps({"digest": int(huge)}), content_type="application/json")
    assert response.status_code == 400, response.content[:200]
    assert "digest" in response.json()


@pytest.mark.parametrize("huge", HUGE)
def test_an_out_of_range_version_on_the_diff_page_is_a_400_naming_it(world, huge):
    development, slug = world["development"], world["slug"]
    for query, name in ((f"from=1&to={huge}", "to"), (f"from={huge}&to=1", "from"),
                        (f"from=-{huge}&to=1", "from")):
        response = world["anyone"].get(f"/stories/{slug}/developments/{development.pk}/diff/?{query}")
        assert response.status_code == 400, (query, response.status_code)
        assert f"“{name}”" in response.content.decode(), query


@pytest.mark.parametrize("huge", HUGE)
def test_an_out_of_range_version_on_the_desk_diff_is_a_400_naming_it(world, huge):
    base = f"/admin/events/development/{world['development'].pk}/history/diff/"
    for query, name in ((f"from=1&to={huge}", "to"), (f"from={huge}&to=1", "from")):
        response = world["desk"].get(f"{base}?{query}")
        assert response.status_code == 400, (query, response.status_code)
        assert f"“{name}”" in response.content.decode(), query


@pytest.mark.parametrize("huge", HUGE)
def test_an_out_of_range_path_id_is_a_404_everywhere(world, huge):
    slug, pk = world["slug"], world["development"].pk
    anyone = [
        *(f"/api/{kind}/{huge}/{rest}" for kind in ("developments", "claims")
          for rest in ("", "versions/", "diff/")),
        f"/api/actors/{huge}/", f"/api/sources/{huge}/",
        *(f"/stories/{slug}/developments/{huge}/{rest}" for rest in ("", "history/", "diff/")),
    ]
    for url in anyone:
        assert world["anyone"].get(url).status_code == 404, url
    assert world["api"].get(f"/api/subscriptions/{huge}/").status_code == 404
    desk = [f"/admin/events/development/{pk}/history/{huge}/restore/",
            f"/admin/events/development/{huge}/history/", f"/admin/events/development/{huge}/retract/",
            f"/admin/claims/claim/{huge}/history/"]
    for url in desk:
        assert world["desk"].get(url).status_code == 404, url


def test_the_largest_id_is_still_an_ordinary_unknown_id(world):
    # The bounds are the database's own: the largest id it could hold is looked up (and missing).
    largest = str(2**63 - 1)
    assert world["anyone"].get(f"/api/claims/?development={largest}").json()["results"] == []
    assert world["anyone"].get(f"/api/developments/{largest}/").status_code == 404
    assert world["anyone"].get(
        f"/stories/{world['slug']}/developments/{largest}/").status_code == 404

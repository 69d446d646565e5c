"""U+0000 cannot be stored by PostgreSQL: the API says so with a 400 instead of failing."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_filter_is_a_400():
    response = APIClient().get("/api/developments/", {"story": "a\x00b"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_json_body_is_a_400_and_nothing_is_saved(editor):
    story = make_story()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    response = client.post(
        "/api/developments/",
        {"story": story.slug, "title": "Nul\x00title", "kind": "statement",
         "occurred_at": "2023-09-20T00:00:00Z", "message": "New"},
        format="json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not story.developments.exists()


def test_a_nul_in_a_page_query_is_a_400(client):
    assert client.get("/", {"as_of": "\x00"}).status_code == 400


def test_an_id_out_of_range_is_a_400_not_a_500():
    response = APIClient().get("/api/changes/", {"after": str(2**70)})
    assert 400 <= response.status_code < 500

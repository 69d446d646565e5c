"""Bodies no write can take: too deeply nested or too large are a JSON 400, never a 500 or an HTML page."""

import pytest
from django.test import override_settings

from tests.factories import make_story, token_client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

NESTED = "[" * 600 + "]" * 600


def test_deeply_nested_json_from_a_subscriber_is_a_json_400(reader):
    response = token_client(reader).post("/api/subscriptions/", NESTED, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_deeply_nested_json_to_an_editors_write_is_a_json_400(editor):
    story = make_story()
    body = f'{{"story": "{story.slug}", "title": {NESTED}}}'
    response = token_client(editor).post("/api/developments/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert not story.developments.exists()


def test_json_nested_as_deep_as_allowed_still_parses(reader):
    body = '{"url": ' + "[" * 30 + "]" * 30 + "}"
    response = token_client(reader).post("/api/subscriptions/", body, content_type="application/json")
    assert response.status_code == 400  # a bad URL, said field by field: the body itself was read
    assert "url" in response.json()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_is_a_json_400(reader):
    body = '{"url": "https://example.org/' + "a" * 2000 + '"}'
    response = token_client(reader).post("/api/subscriptions/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "too large" in response.json()["detail"]

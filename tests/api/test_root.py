"""/api/ is a real root: a JSON document linking the resources, the schema, the docs and the log."""

import pytest

from publiclog.checkpoints import publish_checkpoint
from tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_the_api_root_is_json_not_a_debug_404(api):
    response = api.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


def test_the_api_root_links_every_collection_the_schema_the_docs_and_the_log(api):
    body = api.get("/api/").json()
    assert body["resources"]["stories"] == "http://testserver/api/stories/"
    assert body["resources"]["changes"] == "http://testserver/api/changes/"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["log"]["checkpoint"] == "http://testserver/api/log/checkpoint"


def test_every_link_from_the_api_root_answers(api, editor):
    make_story(author=editor)
    publish_checkpoint()
    body = api.get("/api/").json()
    links = [*body["resources"].values(), body["schema"], body["docs"], *body["log"].values()]
    # The stream holds its connection; ranges and proofs want parameters (tests/api/test_log_api.py).
    skip = {body["resources"]["changes_stream"], body["log"]["leaves"],
            body["log"]["inclusion_proof"], body["log"]["consistency_proof"]}
    for url in links:
        if url in skip:
            continue
        status = api.get(url.removeprefix("http://testserver")).status_code
        assert status in (200, 401), (url, status)  # 401: drafts and subscriptions want a token

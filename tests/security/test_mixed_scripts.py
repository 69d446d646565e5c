"""Armenian, Azerbaijani Latin and Russian Cyrillic text written through the API comes back intact everywhere.

Pages, Atom and JSON feeds, the API and the exported revision log all show
exactly the characters the editor sent (compared after parsing each format).
"""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_editor, make_story

pytestmark = pytest.mark.django_db

ARMENIAN = "Ստեփանակերտ"
AZERBAIJANI = "Xankəndi, Ağdam"
RUSSIAN = "Степанакерт"
TITLE = f"{ARMENIAN} / {AZERBAIJANI} / {RUSSIAN}"


@pytest.fixture
def written(tmp_path):
    editor = make_editor()
    story = make_story(author=editor, slug="mixed")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    response = api.post("/api/developments/", {
        "story": story.slug, "title": TITLE, "summary": f"{RUSSIAN}: «{AZERBAIJANI}» — {ARMENIAN}.",
        "location": AZERBAIJANI, "kind": "statement", "occurred_at": "2023-09-20T12:00:00Z",
        "message": f"Названия: {ARMENIAN}, {AZERBAIJANI}",
    }, format="json")
    assert response.status_code == 201, response.content
    return {"story": story, "id": response.json()["id"], "api": api}


def test_the_api_returns_the_text_as_written(written):
    data = APIClient().get(f"/api/developments/{written['id']}/").json()
    assert (data["title"], data["location"]) == (TITLE, AZERBAIJANI)
    feed = APIClient().get("/api/changes/?after=0").json()
    assert f"Названия: {ARMENIAN}, {AZERBAIJANI}" in [entry["message"] for entry in feed["results"]]


def test_pages_show_the_text_as_written(client, written):
    for url in ("/stories/mixed/", f"/stories/mixed/developments/{written['id']}/",
                f"/stories/mixed/developments/{written['id']}/history/", "/stories/mixed/changes/"):
        body = client.get(url).content.decode("utf-8")
        assert ARMENIAN in body and AZERBAIJANI in body and RUSSIAN in body, url


def test_feeds_carry_the_text_as_written(client, written):
    atom = ET.fromstring(client.get("/stories/mixed/feed.atom").content)  # noqa: S314 (our own feed)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in atom.findall("a:entry", ns)]
    assert any(ARMENIAN in title and AZERBAIJANI in title for title in titles), titles
    summaries = [entry.find("a:summary", ns).text or "" for entry in atom.findall("a:entry", ns)]
    assert any(f"Названия: {ARMENIAN}, {AZERBAIJANI}" in summary for summary in summaries), summaries
    feed = json.loads(client.get("/stories/mixed/feed.json").content)
    assert any(TITLE in item["content_html"] for item in feed["items"])


def test_the_exported_log_keeps_the_text(written, tmp_path):
    path = tmp_path / "log.jsonl"
    call_command("export_log", str(path))
    raw = path.read_bytes()
    assert TITLE.encode("utf-8") in raw or TITLE.encode("unicode_escape") in raw
    lines = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    assert TITLE in json.dumps(lines, ensure_ascii=False)


SCRIPTS = st.text(alphabet=st.sampled_from(ARMENIAN + AZERBAIJANI + RUSSIAN + " əğıöüçşƏĞİ«»—"),
                  min_size=1, max_size=80)


@given(title=SCRIPTS, summary=st.text(max_size=200))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_stored_exactly_or_refused_with_a_400(written, title, summary):
    response = written["api"].post("/api/developments/", {
        "story": "mixed", "title": title, "summary": summary, "kind": "statement",
        "occurred_at": "2023-09-20T12:00:00Z", "message": "m"}, format="json")
    assert response.status_code in (201, 400), response.content[:300]
    if response.status_code == 400:
        return
    data = APIClient().get(f"/api/developments/{response.json()['id']}/").json()
    # DRF trims surrounding whitespace; everything inside is kept, in the same normal form.
    assert data["title"] == title.strip() and data["summary"] == summary.strip()
    assert unicodedata.is_normalized("NFC", data["title"]) == unicodedata.is_normalized("NFC", title.strip())

"""HTML and script in any text field stays text: pages, feeds, email, JSON-LD, the desk, the API.

Every text field of a story, development, claim, actor and source (and the
revision message and the author's name) carries a payload. Each surface is
parsed the way its consumer parses it, and the test looks for live markup
that came from the data: an element, an event-handler attribute, or a
script that the payload opened or closed.
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core import mail
from rest_framework.test import APIClient

from claims import services as claim_services
from claims.models import Claim
from digests.delivery import digests_deliver
from digests.services import digest_create_for
from events import services
from record.selectors import latest_revision_id
from tests.digests.helpers import html_body, make_subscription, text_body
from tests.factories import make_actor, make_claim, make_development, make_editor, make_source, make_story

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
CLOSE = "</script><script>alert(2)</script>"
PAYLOAD = f"{SCRIPT} {IMG} {CLOSE} & ' \""


class LiveMarkup(HTMLParser):
    """Collects what a browser would act on: elements and attributes that only the payload makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script_type: str | None = None
        self.jsonld: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "img" and ("src", "x") in attrs:
            self.found.append("<img src=x>")
        if any(name.startswith("on") for name in names):
            self.found.append(f"<{tag} on…=>")
        if tag == "script":
            self._script_type = dict(attrs).get("type") or "text/javascript"

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_type = None

    def handle_data(self, data):
        if self._script_type == "application/ld+json":
            self.jsonld.append(data)
        elif self._script_type is not None and "alert(" in data:
            self.found.append(f"<script>{data}</script>")


def live_markup(html: str) -> LiveMarkup:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser


def assert_inert(html: str, *, expect_text: bool = True) -> LiveMarkup:
    parser = live_markup(html)
    assert parser.found == [], parser.found
    assert SCRIPT not in html and "<img src=x" not in html
    if expect_text:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
    for block in parser.jsonld:
        assert "</" not in block.lower()  # nothing inside can close the element
        json.loads(block)
    return parser


@pytest.fixture
def hostile(settings):
    """A story whose every text field is hostile, written through the services like an editor would."""
    editor = make_editor()
    editor.first_name, editor.last_name = SCRIPT, IMG
    editor.save()
    story = make_story(author=editor, title=f"Story {PAYLOAD}", summary=PAYLOAD)
    actor = make_actor(author=editor, name=f"Actor {PAYLOAD}", role=PAYLOAD)
    source = make_source(author=editor, outlet=f"Outlet {PAYLOAD}", title=PAYLOAD,
                         url="https://example.org/?q=%22%3E%3Cscript%3E")
    development = make_development(story=story, author=editor, title=f"Dev {PAYLOAD}",
                                   summary=PAYLOAD, location=PAYLOAD)
    services.development_update(author=editor, development=development, base_version=1,
                                message=f"Message {PAYLOAD}", kind="correction",
                                changes={"summary": f"{PAYLOAD} corrected", "sources": [source]})
    claim = make_claim(development=development, author=editor, actor=actor, paraphrase=PAYLOAD,
                       quote=PAYLOAD, figure_low=200, figure_qualifier="at_least", figure_unit="x<b>y</b>",
                       verification=Claim.Verification.DISPUTED, verification_note=PAYLOAD)
    claim_services.claim_retract(author=editor, claim=claim, base_version=claim.version, reason=PAYLOAD)
    make_claim(development=development, author=editor, actor=actor, paraphrase=PAYLOAD,  # in ClaimReview
               verification=Claim.Verification.CONFIRMED, verification_note=PAYLOAD)
    return {"editor": editor, "story": story, "development": development, "claim": claim,
            "actor": actor, "source": source}


def _pages(hostile) -> list[str]:
    slug, pk = hostile["story"].slug, hostile["development"].pk
    return [
        "/", f"/stories/{slug}/", f"/stories/{slug}/?as_of=2999-01-01", f"/stories/{slug}/changes/",
        f"/stories/{slug}/developments/{pk}/", f"/stories/{slug}/developments/{pk}/history/",
        f"/stories/{slug}/developments/{pk}/diff/?from=1&to=2", "/subscribe/",
    ]


def test_public_pages_show_payloads_as_text(client, hostile):
    for url in _pages(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_jsonld_carries_the_payload_as_data_without_closing_its_script(client, hostile):
    slug, pk = hostile["story"].slug, hostile["development"].pk
    for url in (f"/stories/{slug}/", f"/stories/{slug}/developments/{pk}/"):
        parser = assert_inert(client.get(url).content.decode())
        assert parser.jsonld, url
        assert any(PAYLOAD in text for block in parser.jsonld for text in _strings(json.loads(block))), url


def test_atom_feed_is_valid_xml_with_the_payload_as_text(client, hostile):
    response = client.get(f"/stories/{hostile['story'].slug}/feed.atom")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed, parsed to prove it is XML)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == hostile["story"].title
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    # Titled by the headline and the kind of change; the editor's message rides in the summary.
    assert any(title.startswith("Corrected: ") and PAYLOAD in title for title in titles), titles
    for entry in root.findall("a:entry", ns):
        summary = entry.find("a:summary", ns)
        content = summary if summary is not None else entry.find("a:content", ns)
        assert_inert(content.text, expect_text=False)  # the HTML a feed reader renders


def test_json_feed_is_valid_json_with_inert_html(client, hostile):
    response = client.get(f"/stories/{hostile['story'].slug}/feed.json")
    feed = json.loads(response.content)
    assert feed["title"] == hostile["story"].title
    assert any(item["title"].startswith("Corrected: ") and PAYLOAD in item["title"] for item in feed["items"])
    assert any(item.get("summary") == f"Message {PAYLOAD}" for item in feed["items"])
    for item in feed["items"]:
        assert_inert(item["content_html"], expect_text=False)
    assert "&lt;script&gt;" in "".join(item["content_html"] for item in feed["items"])


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def test_timelinejs_export_escapes_what_timelinejs_renders_as_html(client, hostile):
    # TimelineJS puts headline and text into the embedding page as HTML.
    data = json.loads(client.get(f"/stories/{hostile['story'].slug}/timeline.json").content)
    for text in _strings(data):
        assert_inert(text, expect_text=False)
    assert data["title"]["text"]["headline"] == html.escape(hostile["story"].title, quote=False)


def test_api_json_returns_the_payload_unchanged(hostile):
    api = APIClient()
    development = api.get(f"/api/developments/{hostile['development'].pk}/")
    assert development["Content-Type"] == "application/json"
    assert development.json()["title"] == f"Dev {PAYLOAD}"
    assert api.get(f"/api/claims/{hostile['claim'].pk}/").json()["paraphrase"] == PAYLOAD
    assert api.get(f"/api/actors/{hostile['actor'].pk}/").json()["role"] == PAYLOAD
    assert api.get(f"/api/sources/{hostile['source'].pk}/").json()["title"] == PAYLOAD
    feed = api.get("/api/changes/?after=0").json()
    assert f"Message {PAYLOAD}" in [entry["message"] for entry in feed["results"]]


def test_email_digest_html_is_inert_and_text_is_plain(hostile, django_capture_on_commit_callbacks):
    subscription = make_subscription(hostile["story"], email="reader@example.org")
    subscription.cursor = 0
    subscription.save(update_fields=["cursor"])
    digest = digest_create_for(subscription, latest_revision_id())
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_deliver([digest.pk]) == []
    [sent] = mail.outbox
    message = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    assert_inert(html_body(message))
    text = text_body(message)
    assert PAYLOAD in text  # plain text shows exactly what was written
    assert "&lt;" not in text


def test_the_desk_history_diff_and_lists_are_inert(client, hostile):
    client.force_login(hostile["editor"])
    development, claim = hostile["development"], hostile["claim"]
    urls = [
        "/admin/", "/admin/events/development/", "/admin/claims/claim/", "/admin/events/actor/",
        "/admin/events/source/", "/admin/record/revision/", "/admin/events/story/",
        f"/admin/events/development/{development.pk}/change/",
        f"/admin/events/development/{development.pk}/history/",
        f"/admin/events/development/{development.pk}/history/diff/?from=1&to=2",
        f"/admin/events/development/{development.pk}/history/1/restore/",
        f"/admin/claims/claim/{claim.pk}/change/", f"/admin/claims/claim/{claim.pk}/history/",
        f"/admin/claims/claim/{claim.pk}/history/diff/?from=1&to=2",
        f"/admin/events/actor/{hostile['actor'].pk}/history/",
        f"/admin/events/story/{hostile['story'].pk}/history/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), expect_text=url != "/admin/"), url


def test_a_javascript_url_is_refused_as_a_source_link(hostile):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_source(author=hostile["editor"], url="javascript:alert(1)")

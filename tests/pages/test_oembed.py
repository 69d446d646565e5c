"""oEmbed (issue 27, item 10): a `rich` card for development and claim pages, framed from our origin.

Anything that is not one of those pages is a JSON 404, never a 500; format=xml is a 501 (oembed.com §2.3.4).
The cards are the only pages another site may frame.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from claims import services as claim_services
from claims.models import Claim
from record.models import Revision
from tests.factories import make_claim, make_development, make_user

pytestmark = pytest.mark.django_db

SITE = "http://testserver.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.NEWSROOM_NAME, settings.NEWSROOM_URL = "The Caucasus Desk", "https://desk.example/"
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def claim():
    development = make_development(title="Ceasefire agreed")
    return make_claim(development=development, paraphrase="The ceasefire was breached overnight.")


def oembed(client, url: str, **params):
    query = "&".join([f"url={quote(url, safe='')}", *(f"{k}={v}" for k, v in params.items())])
    return client.get(f"/oembed?{query}")


class Frames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.frames: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "iframe":
            self.frames.append(dict(attrs))


def the_frame(html: str) -> dict:
    parser = Frames()
    parser.feed(html)
    (frame,) = parser.frames
    return frame


def test_a_development_page_is_answered_with_a_rich_card_framed_from_our_origin(client, claim):
    development = claim.development
    response = oembed(client, SITE + development.get_absolute_url(), format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert (answer["version"], answer["type"]) == ("1.0", "rich")
    assert answer["title"] == "Ceasefire agreed"
    assert answer["provider_name"] == "The Caucasus Desk"
    frame = the_frame(answer["html"])
    assert frame["src"] == f"{SITE}/embed/stories/{development.story.slug}/developments/{development.id}/"
    assert (int(frame["width"]), int(frame["height"])) == (answer["width"], answer["height"])
    assert answer["width"] <= 390  # fits a phone


def test_a_claim_page_is_answered_with_the_claims_card(client, claim):
    slug = claim.development.story.slug
    answer = oembed(client, f"{SITE}/stories/{slug}/claims/{claim.id}/").json()
    assert the_frame(answer["html"])["src"] == f"{SITE}/embed/stories/{slug}/claims/{claim.id}/"
    assert answer["title"] == f"A claim by {claim.actor.name}"


def test_maxwidth_and_maxheight_are_honoured(client, claim):
    url = SITE + claim.development.get_absolute_url()
    answer = oembed(client, url, maxwidth=300, maxheight=200).json()
    assert (answer["width"], answer["height"]) == (300, 200)
    assert the_frame(answer["html"])["width"] == "300"
    wide = oembed(client, url, maxwidth=2000).json()
    assert wide["width"] == 360  # the card's own width: a larger allowance does not stretch it
    assert oembed(client, url, maxwidth=50).status_code == 404  # no card is that small
    bad = oembed(client, url, maxwidth="wide")
    assert bad.status_code == 400 and "maxwidth" in bad.json()["error"]


def test_xml_is_not_implemented(client, claim):
    response = oembed(client, SITE + claim.development.get_absolute_url(), format="xml")
    assert response.status_code == 501
    assert response.json()["error"]


@pytest.mark.parametrize("url", [
    "", "not a url", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "https://elsewhere.example/stories/x/developments/1/",
    f"{SITE}@elsewhere.example/stories/x/developments/1/",
    f"http://user@{SITE[7:]}/stories/x/developments/1/",
    "//testserver.example/stories/x/developments/1/",
    f"{SITE}:99999/stories/x/developments/1/", "http://[::1/stories/x/developments/1/",
    f"{SITE}/", f"{SITE}/stories/x/", f"{SITE}/admin/", f"{SITE}/api/developments/1/",
    f"{SITE}/stories/x/developments/99999999999999999999999/",
    f"{SITE}/stories/x/developments/%2e%2e/%2e%2e/admin/", f"{SITE}/stories/x/developments/1/history/",
    f"{SITE}/stories/x/developments/1%00/", f"{SITE}/stories/{'x' * 5000}/developments/1/",
    f"{SITE}/embed/stories/x/developments/1/", "ftp://testserver.example/stories/x/developments/1/",
])
def test_urls_that_are_not_our_development_or_claim_pages_are_a_json_404(client, url):
    response = oembed(client, url)
    assert response.status_code == 404, url
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_an_item_that_does_not_exist_or_is_in_another_story_is_a_404(client, claim):
    other = make_development()
    for url in (f"{SITE}/stories/{other.story.slug}/claims/{claim.id}/",
                f"{SITE}/stories/{claim.development.story.slug}/developments/{other.id}/",
                f"{SITE}/stories/no-such-story/developments/{other.id}/",
                f"{SITE}/stories/{other.story.slug}/developments/{other.id + 1000}/"):
        response = oembed(client, url)
        assert response.status_code == 404, url
        assert "no such" in response.json()["error"]


def test_no_url_at_all_is_a_404_too(client):
    assert client.get("/oembed").status_code == 404


def test_the_answer_may_be_read_from_any_origin_and_cached_at_the_edge(client, claim):
    url = SITE + claim.development.get_absolute_url()
    for _ in range(2):  # the second from the page cache
        response = oembed(client, url)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "s-maxage" in response["Cache-Control"]


def test_development_and_claim_pages_link_their_oembed_for_discovery(client, claim):
    pages = {claim.development.get_absolute_url(): claim.development.get_absolute_url(),
             f"/stories/{claim.development.story.slug}/claims/{claim.id}/":
             f"/stories/{claim.development.story.slug}/claims/{claim.id}/"}
    for page, shown in pages.items():
        html = client.get(page).content.decode()
        (href,) = re.findall(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
        href = href.replace("&amp;", "&")
        assert href == f"{SITE}/oembed?url={quote(SITE + shown, safe='')}&format=json"
        assert client.get(href.removeprefix(SITE)).json()["type"] == "rich"


def test_the_card_may_be_framed_by_any_site_and_no_other_page_may(client, claim):
    card = f"/embed/stories/{claim.development.story.slug}/claims/{claim.id}/"
    for _ in range(2):  # the second from the page cache
        response = client.get(card)
        assert response.status_code == 200
        assert "X-Frame-Options" not in response
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "default-src 'self'" in response["Content-Security-Policy"]
    page = client.get(f"/stories/{claim.development.story.slug}/claims/{claim.id}/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_card_shows_the_claim_its_verdict_and_a_corrected_mark_with_a_link_back(client, claim):
    claim_services.claim_verify(author=make_user(), claim=claim, base_version=claim.version,
                                verification=Claim.Verification.DISPUTED, note="Denied", message="Disputed")
    claim = Claim.objects.get(pk=claim.pk)
    claim_services.claim_update(author=make_user(), claim=claim, base_version=claim.version,
                                kind=Revision.Kind.CORRECTION, message="The breach was in the evening",
                                changes={"paraphrase": "The ceasefire was breached in the evening."})
    slug = claim.development.story.slug
    html = client.get(f"/embed/stories/{slug}/claims/{claim.id}/").content.decode()
    assert "The ceasefire was breached in the evening." in html
    assert '<span class="badge badge-disputed">Disputed</span>' in html
    assert re.search(r'<span class="label label-corrected">Corrected <time', html)
    assert f'href="{SITE}/stories/{slug}/claims/{claim.id}/" target="_blank" rel="noopener"' in html


def test_the_card_subscribes_to_its_storys_live_stream(client, claim):
    development = claim.development
    card = f"/embed/stories/{development.story.slug}/developments/{development.id}/"
    html = client.get(card).content.decode()
    (tag,) = re.findall(r'<script src="[^"]*embed\.js"[^>]*>', html)
    assert f'data-live-stream="/stories/{development.story.slug}/live"' in tag
    assert f'data-embed-item="{development.get_absolute_url()}"' in tag
    after = int(re.search(r'data-live-after="(\d+)"', tag).group(1))
    assert after == Revision.objects.latest("id").id
    assert html.index("fresh-page.js") < html.index("embed.js")


def test_an_unknown_card_is_a_404(client, claim):
    card = f"/embed/stories/{claim.development.story.slug}/claims/{claim.id + 1000}/"
    assert client.get(card).status_code == 404


def test_cards_and_answers_take_a_fixed_number_of_queries(client, claim):
    # 1: the latest revision id (the cache key), 2: the item with its story (a claim: and its actor
    # and affiliation), 3-4: the labels of developments and of claims.
    from tests.queries import count_queries

    slug, development = claim.development.story.slug, claim.development
    urls = {f"/embed/stories/{slug}/developments/{development.id}/": 4,
            f"/embed/stories/{slug}/claims/{claim.id}/": 4,
            f"/oembed?url={quote(SITE + development.get_absolute_url(), safe='')}": 4}
    assert {url: count_queries(client, url) for url in urls} == urls
    for n in range(5):
        make_claim(development=development, paraphrase=f"Another claim {n}")
    assert {url: count_queries(client, url) for url in urls} == urls

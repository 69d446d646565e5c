"""The story timeline: developments in the order they happened, claims, labels, figures."""

import datetime as dt
import json
import re

import pytest

from claims import services as claim_services
from claims.models import Claim
from events import services
from events.models import Development
from events.selectors import story_revisions
from tests.factories import make_claim, make_development, make_story, make_user

pytestmark = pytest.mark.django_db

URL = "/stories/karabakh-2023/"


def page(client, url=URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_orders_developments_by_when_they_happened(client, demo_story):
    html = page(client)
    assert html.index("Azerbaijan launches an offensive") < html.index("Russia brokers a ceasefire")
    assert html.index("Russia brokers a ceasefire") < html.index("meet in Yevlakh")


def test_it_respects_date_precision(client, demo_story):
    html = page(client)
    # Day precision: a date and no made-up midnight; hour precision: the hour.
    assert ">21 Sept 2023</time>" in html
    assert ">20 Sept 2023, 18:00 UTC</time>" in html
    assert "21 Sept 2023, 00:00" not in html


def test_it_shows_an_allegation_beside_its_denial(client, demo_story):
    html = page(client)
    thread = re.search(r'<div class="thread thread-answered">(.*?)</div>', html, re.S).group(1)
    assert "large-scale aggression" in thread
    assert "counter-terrorist" in thread
    assert "disputes this" in thread


def test_it_gives_verification_in_words(client, demo_story):
    html = page(client)
    assert '<span class="badge badge-disputed">Disputed</span>' in html
    assert '<span class="badge badge-unverified">Unverified</span>' in html


def test_it_labels_updated_and_corrected_developments_with_the_time(client, demo_story):
    html = page(client)
    assert "Corrected <time" in html and "20 Sept 2023, 20:00 UTC" in html
    assert "Updated <time" in html


def test_it_labels_a_retracted_development(client):
    development = make_development(title="Shelling of a village")
    services.development_retract(author=make_user(), development=development,
                                 base_version=development.version, reason="The report was false")
    html = page(client, development.story.get_absolute_url())
    assert "Retracted <time" in html
    assert "The report was false" in html


def test_it_shows_contested_figures(client, demo_story):
    html = page(client)
    panel = html[html.index('id="figures-title"'):]
    assert "at least 200 deaths" in panel
    assert "deaths: not given" in panel
    assert "Karabakh Armenian leadership" in panel and "Government of Azerbaijan" in panel


def test_it_links_feeds_for_auto_discovery(client, demo_story):
    html = page(client)
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{URL}feed.atom"' in html
    assert '<link rel="alternate" type="application/feed+json"' in html


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_it_describes_the_story_as_a_live_blog_posting(client, demo_story):
    (blog,) = [item for item in jsonld(page(client)) if item["@type"] == "LiveBlogPosting"]
    assert blog["headline"] == demo_story.title
    assert len(blog["liveBlogUpdate"]) == Development.objects.filter(story=demo_story).count()


def test_its_claims_are_reviewed_on_their_own_pages_not_on_the_story_page(client):
    claim = make_claim(paraphrase="The bridge was destroyed.")
    claim_services.claim_verify(author=make_user(), claim=claim, base_version=claim.version,
                                verification=Claim.Verification.CONFIRMED, note="Satellite images",
                                message="Confirmed by satellite images")
    items = jsonld(page(client, claim.development.story.get_absolute_url()))
    assert [item["@type"] for item in items] == ["LiveBlogPosting"]  # one block per page
    (review,) = jsonld(page(client, f"/stories/{claim.development.story.slug}/claims/{claim.id}/"))
    assert review["claimReviewed"] == "The bridge was destroyed."
    assert review["reviewRating"]["alternateName"] == "Confirmed"


def test_it_escapes_hostile_text_in_html_and_json_ld(client):
    hostile = '</script><script>alert("x")</script>'
    story = make_story(title=f"Title {hostile}", summary=hostile)
    make_development(story=story, title=hostile)
    html = page(client, story.get_absolute_url())
    assert "<script>alert" not in html
    assert "&lt;/script&gt;" in html
    assert any(item.get("headline") == f"Title {hostile}" for item in jsonld(html))


def test_an_unknown_story_is_404_with_the_custom_page(client, db):
    response = client.get("/stories/no-such-story/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_new_revision_shows_at_once(client):
    development = make_development(title="First title")
    url = development.story.get_absolute_url()
    assert "First title" in page(client, url)
    services.development_update(author=make_user(), development=development,
                                base_version=development.version, message="Retitled",
                                changes={"title": "Second title"})
    assert "Second title" in page(client, url)


def test_an_identical_request_is_served_from_the_cache(client, demo_story, django_assert_max_num_queries):
    page(client)
    with django_assert_max_num_queries(1):  # the latest revision id, for the cache key
        page(client)


def test_query_parameters_the_page_does_not_read_share_one_cache_entry(
        client, demo_story, django_assert_num_queries):
    page(client, URL + "?x=1")
    for other in ("?x=2", "?utm_source=mail&x=3"):
        with django_assert_num_queries(1):  # the latest revision id, for the cache key
            page(client, URL + other)


def test_the_as_of_parameter_is_part_of_the_cache_key(client, demo_story):
    assert "Yevlakh" in page(client, URL)
    assert "Yevlakh" not in page(client, URL + "?as_of=2023-09-20T12:00Z")


class TestAsOf:
    def test_it_shows_the_story_as_known_then_with_a_banner(self, client, demo_story):
        html = page(client, URL + "?as_of=2023-09-20T12:00Z")
        assert "As it was known on" in html
        assert "20 Sept 2023, 12:00 UTC" in html
        assert "Azerbaijan launches an offensive" in html
        assert "Yevlakh" not in html

    def test_it_shows_versions_as_they_were(self, client, demo_story):
        # The address was filed under 19 September until the correction at 20:00.
        assert ">19 Sept 2023, 18:00 UTC</time>" in page(client, URL + "?as_of=2023-09-20T19:30Z")

    def test_it_links_to_the_moments_before_and_after(self, client, demo_story):
        html = page(client, URL + "?as_of=2023-09-20T12:00Z")
        assert 'rel="prev" href="?as_of=2023-09-20T10%3A00%3A00%2B00%3A00"' in html
        assert 'rel="next" href="?as_of=2023-09-20T12%3A05%3A00%2B00%3A00"' in html
        later = page(client, URL + "?as_of=2023-09-20T12%3A05%3A00%2B00%3A00")
        assert "at least 200 deaths" in later

    def test_a_moment_before_the_story_shows_nothing_known(self, client, demo_story):
        html = page(client, URL + "?as_of=2023-09-01")
        assert "Nothing about this story had been published yet" in html
        assert "Azerbaijan launches" not in html

    def test_a_date_without_time_and_a_form_value_are_understood(self, client, demo_story):
        assert "Russia brokers a ceasefire" in page(client, URL + "?as_of=2023-09-21")
        assert "Russia brokers a ceasefire" in page(client, URL + "?as_of=2023-09-20T10:30")

    @pytest.mark.parametrize("value", ["yesterday", "2023-13-45", "2023-09-20T25:00"])
    def test_an_invalid_moment_is_a_clear_400(self, client, demo_story, value):
        response = client.get(URL, {"as_of": value})
        assert response.status_code == 400
        assert "is not a date we understand" in response.content.decode()

    @pytest.mark.parametrize("value", ["", "  "])
    def test_show_with_an_empty_moment_shows_the_story_as_it_stands(self, client, demo_story, value):
        # The "Show" form sent with its date left empty: an empty moment means now.
        assert page(client, URL + f"?as_of={value}") == page(client)

    def test_the_geojson_with_an_empty_moment_is_the_current_one(self, client, demo_story):
        geojson = URL + "developments.geojson"
        assert client.get(geojson, {"as_of": ""}).content == client.get(geojson).content


def test_only_the_story_revisions_move_the_as_of_links(client):
    story = make_story()
    make_development(story=story, occurred_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC))
    assert story_revisions(story).count() == 2
    html = page(client, story.get_absolute_url() + "?as_of=2999-01-01")
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_the_as_of_link_of_a_revision_includes_that_revision(client):
    # Revisions made now carry microseconds; the changelog's link must not cut them off.
    development = make_development(title="Made just now")
    changes = client.get(development.story.get_absolute_url() + "changes/").content.decode()
    link = re.findall(r'href="(/stories/[^"]+\?as_of=[^"]+)"', changes)[0]
    assert "Made just now" in page(client, link.replace("&amp;", "&"))

"""schema.org JSON-LD (issue 27, items 7-9): one valid block per page, read by extruct, expanded by pyld.

The story page is a LiveBlogPosting on the publication clock; each claim page one ClaimReview
with its verdict on the documented scale, and no rating at all before there is a verdict.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from claims import services as claim_services
from claims.models import Claim
from events import services
from events.models import Actor, Story
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_source, make_story, make_user
from tests.pages.jsonld import SCHEMA_ORG, blocks, expanded, extracted, unknown_terms, value

pytestmark = pytest.mark.django_db

SITE = "http://testserver.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.NEWSROOM_NAME, settings.NEWSROOM_URL = "The Caucasus Desk", "https://desk.example/"


def the_one_item(client, url: str) -> tuple[dict, dict]:
    """The page's one JSON-LD item, as extruct reads it and as pyld expands it (schema.org terms only)."""
    html = client.get(url).content.decode()
    assert len(blocks(html)) == 1, url
    (item,) = extracted(html, SITE + url)
    assert item == json.loads(blocks(html)[0])
    (node,) = expanded(item)
    assert unknown_terms([node]) == set()
    return item, node


def claim_page(claim) -> str:
    return f"/stories/{claim.development.story.slug}/claims/{claim.id}/"


def test_the_story_page_is_a_live_blog_posting_of_its_developments_on_the_revision_clock(client, demo_story):
    blog, node = the_one_item(client, f"/stories/{demo_story.slug}/")
    assert node["@type"] == [SCHEMA_ORG + "LiveBlogPosting"]
    assert blog["headline"] == demo_story.title
    updates = blog["liveBlogUpdate"]
    assert len(updates) == demo_story.developments.count()
    assert {update["@type"] for update in updates} == {"BlogPosting"}
    assert len(node[SCHEMA_ORG + "liveBlogUpdate"]) == len(updates)
    assert blog["author"] == {"@type": "Organization", "name": "The Caucasus Desk", "url": "https://desk.example/"}
    # Dated by the revision clock (when the tracker recorded things), not by when they happened.
    revisions = Revision.objects.filter(story_link__story=demo_story).order_by("id")
    assert blog["coverageStartTime"] == blog["datePublished"] == revisions.first().created_at.isoformat()
    assert blog["dateModified"] == revisions.last().created_at.isoformat()
    assert "coverageEndTime" not in blog  # still developing
    offensive = next(u for u in blog["liveBlogUpdate"] if u["headline"].startswith("Azerbaijan launches"))
    # It happened on the 19th; the tracker recorded it then and changed it on the 20th.
    assert offensive["datePublished"].startswith("2023-09-19")
    assert offensive["dateModified"].startswith("2023-09-20")


@pytest.mark.sqlite  # story_concluded_at's one query, on both databases
def test_a_concluded_story_says_when_its_coverage_ended(client):
    author = make_user()
    story = make_story(author=author)
    make_development(story=story, author=author)
    story = services.story_update(author=author, story=story, base_version=story.version,
                                  message="The story is over", changes={"status": Story.Status.CONCLUDED})
    concluded = Revision.objects.filter(story_link__story=story).latest("id")
    make_development(story=story, author=author, title="A late correction of the record")
    blog, _ = the_one_item(client, f"/stories/{story.slug}/")
    assert blog["coverageEndTime"] == concluded.created_at.isoformat()
    assert blog["dateModified"] > blog["coverageEndTime"]


def test_a_development_page_is_the_blog_posting_it_is_in_the_live_blog(client):
    development = make_development(title="Ceasefire agreed")
    posting, _ = the_one_item(client, development.get_absolute_url())
    assert posting["@type"] == "BlogPosting" and posting["headline"] == "Ceasefire agreed"
    assert posting["isPartOf"]["url"] == SITE + development.story.get_absolute_url()


def test_a_claim_page_carries_one_claim_review_of_the_actors_claim_with_its_verdict(client, demo_story):
    accusation = Claim.objects.get(development__story=demo_story, verification=Claim.Verification.DISPUTED)
    review, node = the_one_item(client, claim_page(accusation))
    assert node["@type"] == [SCHEMA_ORG + "ClaimReview"]
    assert review["url"] == SITE + claim_page(accusation)
    assert review["claimReviewed"] == accusation.paraphrase
    assert review["author"]["name"] == "The Caucasus Desk"
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["datePublished"] == accusation.made_on.isoformat()
    actor = accusation.actor
    assert claim["author"]["name"] == actor.name
    assert claim["author"]["@type"] == ("Person" if actor.kind == Actor.Kind.PERSON else "Organization")
    assert value(node, "itemReviewed")  # expanded, not dropped
    # The verdict: a rating on the documented scale, labelled as readers see it.
    assert review["reviewRating"] == {"@type": "Rating", "ratingValue": 3, "bestRating": 5, "worstRating": 1,
                                      "alternateName": "Disputed"}
    verdict = Revision.objects.filter(message="The ceasefire-breach allegation is disputed").get()
    assert review["datePublished"] == verdict.created_at.isoformat()
    assert review["reviewBody"] == accusation.verification_note


@pytest.mark.parametrize(("verification", "rating", "label"), [
    (Claim.Verification.CONFIRMED, 5, "Confirmed"), (Claim.Verification.REFUTED, 1, "Refuted")])
def test_confirmed_and_refuted_are_the_ends_of_the_scale(client, verification, rating, label):
    claim = make_claim()
    claim_services.claim_verify(author=make_user(), claim=claim, base_version=claim.version,
                                verification=verification, note="Checked", message="Checked")
    review, _ = the_one_item(client, claim_page(claim))
    assert (review["reviewRating"]["ratingValue"], review["reviewRating"]["alternateName"]) == (rating, label)


def test_a_claim_with_no_verdict_yet_has_no_rating_at_all(client, demo_story):
    unverified = Claim.objects.filter(development__story=demo_story,
                                      verification=Claim.Verification.UNVERIFIED).first()
    review, node = the_one_item(client, claim_page(unverified))
    assert review["@type"] == "ClaimReview" and "reviewRating" not in review
    assert SCHEMA_ORG + "reviewRating" not in node
    assert review["claimReviewed"] == unverified.paraphrase


def test_a_retracted_claim_keeps_no_rating(client):
    claim = make_claim(verification=Claim.Verification.CONFIRMED)
    claim_services.claim_retract(author=make_user(), claim=claim, base_version=claim.version,
                                 reason="Misattributed")
    review, _ = the_one_item(client, claim_page(claim))
    assert "reviewRating" not in review


def test_the_claims_author_carries_their_affiliation(client):
    government = make_actor(name="Government of Azerbaijan", kind=Actor.Kind.GOVERNMENT)
    minister = make_actor(name="Jeyhun Bayramov", kind=Actor.Kind.PERSON, role="Foreign minister",
                          affiliation=government)
    ministry = make_actor(name="Ministry of Defence", kind=Actor.Kind.MINISTRY, affiliation=government)
    for actor, affiliation in ((minister, "affiliation"), (ministry, "parentOrganization")):
        review, _ = the_one_item(client, claim_page(make_claim(actor=actor)))
        author = review["itemReviewed"]["author"]
        assert author[affiliation] == {"@type": "Organization", "name": "Government of Azerbaijan"}
    review, _ = the_one_item(client, claim_page(make_claim(actor=minister)))
    assert review["itemReviewed"]["author"]["jobTitle"] == "Foreign minister"


def test_the_claims_appearance_is_its_source_with_our_capture(client, settings):
    from archive import services as archive_services
    from tests.archive.origin import article, origin_allowed

    with origin_allowed(settings) as origin:
        origin.serve("/report", article("Troops advanced."))
        captured = make_source(url=origin.url("/report"), outlet="Wire", title="Troops advance")
        archive_services.source_capture(captured.pk)
        settings.SITE_URL = SITE
        uncaptured = make_source(outlet="Ministry", title="Statement", published_on=dt.date(2023, 9, 19))
        claim = make_claim(sources=[captured, uncaptured])
        review, node = the_one_item(client, claim_page(claim))
    by_title = {work["headline"]: work for work in review["itemReviewed"]["appearance"]}
    assert by_title["Troops advance"]["url"] == origin.url("/report")
    assert by_title["Troops advance"]["archivedAt"] == f"{SITE}/sources/{captured.pk}/archive/"
    assert by_title["Statement"] == {"@type": "CreativeWork", "headline": "Statement",
                                     "publisher": {"@type": "Organization", "name": "Ministry"},
                                     "datePublished": "2023-09-19"}


def test_a_headline_cannot_close_its_script_element(client):
    hostile = '</script><script>alert("x")</script><!--'
    story = make_story(title=f"Title {hostile}")
    make_development(story=story, title=hostile)
    html = client.get(f"/stories/{story.slug}/").content.decode()
    (block,) = blocks(html)
    assert "<" not in block and ">" not in block
    assert "<script>alert" not in html
    (item,) = extracted(html, SITE)
    assert item["headline"] == f"Title {hostile}"
    assert item["liveBlogUpdate"][0]["headline"] == hostile
    expanded(item)


def test_mementos_carry_no_structured_data_and_offer_no_card(client):
    # A page as it was known then (?as_of=) is not the item now: no JSON-LD, no oEmbed discovery.
    claim = make_claim()
    development = claim.development
    slug = development.story.slug
    for page in (f"/stories/{slug}/", development.get_absolute_url(), f"/stories/{slug}/claims/{claim.id}/"):
        html = client.get(f"{page}?as_of=2099-01-01T00:00:00Z").content.decode()
        assert blocks(html) == [], page
        assert "json+oembed" not in html, page


def test_a_correction_moves_the_claim_reviews_date_modified(client):
    claim = make_claim()
    before, _ = the_one_item(client, claim_page(claim))
    claim_services.claim_update(author=make_user(), claim=claim, base_version=claim.version,
                                kind=Revision.Kind.CORRECTION, message="Fix the paraphrase",
                                changes={"paraphrase": "The corrected claim"})
    after, _ = the_one_item(client, claim_page(claim))
    assert after["dateModified"] > before["dateModified"]
    assert after["claimReviewed"] == "The corrected claim"

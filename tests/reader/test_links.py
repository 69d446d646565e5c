"""The one URL helper (reader.links): where a reader finds a story, a development and a claim."""

import pytest

from reader.links import claim_anchor_url, claim_url, development_url, story_url
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_a_development_url_is_its_page():
    claim = make_claim()
    development = claim.development
    assert development_url(development.story.slug, development.pk) == development.get_absolute_url()


def test_a_claim_url_is_its_own_page(client):
    claim = make_claim(paraphrase="The ombudsman says 200 people died")
    slug = claim.development.story.slug
    url = claim_url(slug, claim.development_id, claim.pk)
    assert url == f"/stories/{slug}/claims/{claim.pk}/"
    assert "The ombudsman says 200 people died" in client.get(url).content.decode()


def test_a_claim_keeps_its_anchor_on_its_development_page(client):
    claim = make_claim()
    slug = claim.development.story.slug
    url = claim_anchor_url(slug, claim.development_id, claim.pk)
    page, anchor = url.split("#")
    assert page == development_url(slug, claim.development_id)
    assert f'id="{anchor}"' in client.get(page).content.decode()


def test_a_story_url_is_its_page():
    story = make_claim().development.story
    assert story_url(story.slug) == story.get_absolute_url()

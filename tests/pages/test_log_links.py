"""Readers find the public log from the pages: leaf and proof per version, the checkpoint, in feeds."""

from __future__ import annotations

import base64
import datetime as dt
from xml.etree import ElementTree

import feedparser
import pytest

from events.models import Development
from pages.feeds import LOG_NAMESPACE
from publiclog.checkpoints import publish_checkpoint
from publiclog.models import Cosignature
from record.models import LogLeaf

pytestmark = pytest.mark.django_db


def _history_url(development) -> str:
    return f"/stories/{development.story.slug}/developments/{development.pk}/history/"


def test_each_version_on_the_history_page_names_its_leaf_and_links_its_proof(client, demo_story):
    checkpoint = publish_checkpoint()
    development = Development.objects.filter(story=demo_story).order_by("id").first()
    html = client.get(_history_url(development)).content.decode()
    for row in development.history.all():
        leaf = LogLeaf.objects.get(revision_id=row.revision_id).index
        assert f"In the public log as <a href=\"/api/log/leaves/{leaf}\">leaf {leaf}</a>" in html
        assert f"/api/log/proof/inclusion?index={leaf}&amp;size={checkpoint.size}" in html


def test_a_version_newer_than_the_checkpoint_says_it_awaits_the_next(client, demo_story):
    development = Development.objects.filter(story=demo_story).order_by("id").first()
    html = client.get(_history_url(development)).content.decode()
    assert "awaiting the next signed checkpoint" in html
    assert "/api/log/proof/inclusion" not in html


def test_the_story_page_links_the_latest_checkpoint(client, demo_story):
    assert 'href="/api/log/checkpoint"' in client.get(f"/stories/{demo_story.slug}/").content.decode()


def test_the_atom_feed_carries_the_checkpoint_and_stays_valid(client, demo_story):
    checkpoint = publish_checkpoint()
    response = client.get(f"/stories/{demo_story.slug}/feed.atom")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    element = ElementTree.fromstring(response.content).find(f"{{{LOG_NAMESPACE}}}checkpoint")  # noqa: S314 (our own feed)
    assert element.get("size") == str(checkpoint.size)
    assert base64.b64decode(element.get("root")) == bytes(checkpoint.root)
    assert element.get("href").endswith(f"/api/log/checkpoint?size={checkpoint.size}")


def test_the_json_feed_carries_the_checkpoint_as_an_extension(client, demo_story):
    checkpoint = publish_checkpoint()
    feed = client.get(f"/stories/{demo_story.slug}/feed.json").json()
    assert feed["_log"]["tree_size"] == checkpoint.size
    assert base64.b64decode(feed["_log"]["root"]) == bytes(checkpoint.root)


def _cosigned(checkpoint, witness: str, when: str) -> Cosignature:
    moment = dt.datetime.fromisoformat(when)
    return Cosignature.objects.create(checkpoint=checkpoint, witness=witness, witness_key=f"{witness}+00+AA",
                                      line=f"\u2014 {witness} AAAA\n", cosigned_at=moment, received_at=moment)


def test_the_history_page_names_the_witnesses_vouching_for_the_checkpoint_and_when(client, demo_story):
    checkpoint = publish_checkpoint()
    _cosigned(checkpoint, "witness.partner.example/w1", "2026-12-05T10:30:00+00:00")
    development = Development.objects.filter(story=demo_story).order_by("id").first()
    html = client.get(_history_url(development)).content.decode()
    assert f"checkpoint of {checkpoint.size} revisions</a> is cosigned by independent witnesses" in html
    assert ('<span class="witness-name">witness.partner.example/w1</span>, cosigned '
            '<time datetime="2026-12-05T10:30:00+00:00">') in html


def test_the_history_page_says_when_no_witness_has_cosigned_yet(client, demo_story, settings):
    settings.LOG_WITNESSES = "https://witness.partner.example witness.partner.example/w1+00+AA"
    checkpoint = publish_checkpoint()
    development = Development.objects.filter(story=demo_story).order_by("id").first()
    html = client.get(_history_url(development)).content.decode()
    link = f'<a href="/api/log/checkpoint?size={checkpoint.size}">'
    assert f"No independent witness has cosigned the {link}" in html

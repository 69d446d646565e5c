"""reader.links.embeddable_item: which URLs name a development or claim page of ours (oEmbed's input)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reader.links import EmbeddableItem, claim_url, development_url, embeddable_item

SITE = "https://tracker.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def test_our_development_and_claim_pages_are_embeddable():
    assert embeddable_item(SITE + development_url("karabakh-2023", 7)) == \
        EmbeddableItem("development", "karabakh-2023", 7)
    assert embeddable_item(SITE + claim_url("karabakh-2023", 7, 3) + "?as_of=2023-09-20") == \
        EmbeddableItem("claim", "karabakh-2023", 3)
    shouted = f"HTTPS://TRACKER.example{development_url('k', 1)}"
    assert embeddable_item(shouted) == EmbeddableItem("development", "k", 1)


@given(st.text(max_size=300))
@hypothesis_settings(max_examples=200, deadline=None)
def test_any_text_is_an_item_or_none_never_an_error(text):
    for candidate in (text, SITE + "/" + text, f"{SITE}/stories/{text}/developments/1/"):
        found = embeddable_item(candidate)
        assert found is None or found.kind in ("development", "claim")

"""A development and a claim as they were known, in Chromium at desktop and phone widths, axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import SCREENSHOTS
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_sees_a_development_and_a_claim_as_they_were_known(tab, recorded, live_server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("development", recorded.development.get_absolute_url()),
                       ("claim", f"/stories/offensive/claims/{recorded.claim.pk}/")):
        tab.goto(f"{live_server.url}{path}?as_of=2023-09-20T12:00Z")
        expect(tab.locator(".as-of-banner h2")).to_contain_text("As it was known on")
        assert serious_violations(tab) == []
        assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]
        tab.screenshot(path=str(SCREENSHOTS / f"memento-{name}-{tab.width_name}.png"), full_page=True)
    expect(tab.locator("body")).to_contain_text("The ministry denies it")

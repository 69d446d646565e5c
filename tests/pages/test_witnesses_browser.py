"""A reader sees which witnesses vouch for the log on a history page, in Chromium at two widths (issue 28)."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from publiclog.checkpoints import publish_checkpoint
from publiclog.models import Cosignature
from tests.browser import SCREENSHOTS
from tests.factories import make_development
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]


@pytest.fixture
def witnessed(transactional_db):
    development = make_development(title="Ceasefire talks resume in Geneva")
    checkpoint = publish_checkpoint()
    moment = dt.datetime(2026, 12, 5, 10, 30, tzinfo=dt.UTC)
    for name in ("witness.partner-newsroom.example/w1", "witness.university.example/log-watch"):
        Cosignature.objects.create(checkpoint=checkpoint, witness=name, witness_key=f"{name}+00+AA",
                                   line=f"\u2014 {name} AAAA\n", cosigned_at=moment, received_at=moment)
    return development


@pytest.mark.parametrize("width_name, width", [("desktop", 1280), ("phone", 390)])
def test_the_witnesses_vouching_for_the_log_read_well_at_both_widths(browser, witnessed, live_server,
                                                                    width_name, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.goto(live_server.url + witnessed.get_absolute_url() + "history/")
    section = tab.locator("section.log-witnesses")
    expect(section).to_contain_text("witness.university.example/log-watch, cosigned")
    expect(section.locator("li")).to_have_count(2)
    assert serious_violations(tab) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"log-witnesses-{width_name}.png"), full_page=True)
    context.close()

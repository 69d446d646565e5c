"""A reader follows a corrected claim in Chromium, at desktop and phone widths (issue 25, item 9)."""

import pytest
from playwright.sync_api import expect

from claims import services as claim_services
from claims.models import Claim
from record.models import Revision
from tests.browser import SCREENSHOTS
from tests.factories import make_claim, make_development, make_user
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]


@pytest.fixture
def corrected(transactional_db):
    development = make_development(title="Death toll of the offensive unclear")
    claim = make_claim(development=development, paraphrase="The ombudsman says at least 200 people died",
                       figure_unit="deaths", figure_low=200, figure_qualifier=Claim.Qualifier.AT_LEAST)
    return claim_services.claim_update(
        author=make_user(), claim=claim, base_version=1, kind=Revision.Kind.CORRECTION,
        message="Correction: the ombudsman gave a range, not a floor",
        changes={"figure_low": 180, "figure_best": 200, "figure_high": 230,
                 "figure_qualifier": Claim.Qualifier.APPROXIMATELY})


def test_a_reader_goes_from_the_corrected_badge_to_the_claims_history(tab, corrected, live_server):
    tab.goto(live_server.url + corrected.development.get_absolute_url())
    tab.locator(f"#claim-{corrected.id} a.label-corrected").click()
    expect(tab.locator("dl.diff")).to_contain_text("at least 200 deaths")
    expect(tab.locator("dl.diff")).to_contain_text("about 200 (180–230) deaths")
    assert serious_violations(tab) == []
    tab.get_by_role("link", name="History").click()
    expect(tab.locator("ol.versions > li")).to_have_count(2)
    expect(tab.locator("ol.versions > li").first).to_contain_text("the ombudsman gave a range")
    assert serious_violations(tab) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.viewport_size["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / f"claim-history-{tab.width_name}.png"), full_page=True)

"""The oEmbed card in Chromium (issue 27, item 10): framed by another site at phone width, readable,
axe-clean, and updated live when the tracker corrects the claim it shows."""

import pytest
from playwright.sync_api import expect

from claims import services as claim_services
from claims.models import Claim
from record.models import Revision
from tests.browser import SCREENSHOTS
from tests.factories import make_actor, make_claim, make_development, make_user
from tests.pages.axe import serious_violations

pytestmark = [pytest.mark.browser]

PHONE = 390


@pytest.fixture
def claim(transactional_db):
    development = make_development(
        title="Russia brokers a ceasefire between Azerbaijan and Karabakh separatists")
    actor = make_actor(name="David Babayan", role="Aide to the separatist leader")
    claim = make_claim(
        development=development, actor=actor,
        paraphrase="Azerbaijani forces broke the ceasefire near Stepanakert hours after it was agreed.")
    return claim_services.claim_verify(author=make_user(), claim=claim, base_version=claim.version,
                                       verification=Claim.Verification.DISPUTED,
                                       note="Denied by Azerbaijan's defence ministry.", message="Disputed")


@pytest.fixture
def elsewhere():
    from tests.archive.origin import Origin

    with Origin() as site:
        yield site


def embedding_page(live_server, claim, settings) -> str:
    """A page of another site with the card, as an oEmbed consumer writes it: the answer's html."""
    from django.test import Client

    settings.SITE_URL = live_server.url
    page = f"{live_server.url}/stories/{claim.development.story.slug}/claims/{claim.id}/"
    answer = Client().get("/oembed", {"url": page, "format": "json"}).json()
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="margin:15px"><main><h1>Another newsroom</h1>{answer["html"]}</main></body></html>')


def test_the_card_reads_on_a_phone_inside_another_sites_page_and_updates_live(browser, claim, live_server,
                                                                              settings, elsewhere):
    context = browser.new_context(viewport={"width": PHONE, "height": 700})
    tab = context.new_page()
    # Another origin (127.0.0.1 and a port of its own; the card is on localhost) frames the card.
    elsewhere.serve("/", embedding_page(live_server, claim, settings).encode(), content_type="text/html")
    tab.goto(elsewhere.url("/"))
    frame = tab.frame_locator("iframe")
    card = frame.locator(".embed-card")
    expect(card).to_contain_text("David Babayan")
    expect(card.locator(".badge-disputed")).to_have_text("Disputed")
    expect(frame.get_by_role("link", name="The claim and its history")).to_have_attribute("target", "_blank")
    card_page = tab.frames[1]
    assert card_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "embed-card-phone.png"))
    tab.set_viewport_size({"width": 1280, "height": 700})  # the same frame in a desktop page
    tab.screenshot(path=str(SCREENSHOTS / "embed-card-desktop.png"))
    tab.set_viewport_size({"width": PHONE, "height": 700})

    claim_services.claim_update(author=make_user(), claim=claim, base_version=claim.version,
                                kind=Revision.Kind.CORRECTION, message="It was near Shusha",
                                changes={"paraphrase": "Azerbaijani forces broke the ceasefire near Shusha."})
    expect(card.locator(".label-corrected")).to_contain_text("Corrected", timeout=15_000)
    expect(frame.locator(".embed-card")).to_contain_text("near Shusha")
    expect(frame.locator(".embed-live")).to_have_text("Corrected just now")
    tab.screenshot(path=str(SCREENSHOTS / "embed-card-corrected-phone.png"))

    tab.goto(f"{live_server.url}/embed/stories/{claim.development.story.slug}/claims/{claim.id}/")
    assert serious_violations(tab) == []
    development = claim.development
    tab.goto(f"{live_server.url}/embed/stories/{development.story.slug}/developments/{development.id}/")
    assert serious_violations(tab) == []
    tab.set_viewport_size({"width": 360, "height": 300})  # the development card's oEmbed size
    tab.screenshot(path=str(SCREENSHOTS / "embed-development-phone.png"))
    context.close()

"""A reader subscribes, confirms and unsubscribes in a real browser (Debian's Chromium), no JavaScript."""

import re

import pytest
from django.core import mail

from digests.email import unsubscribe_url
from digests.models import Subscription
from tests.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser, live_server, settings):
    from demo.story import load_demo

    load_demo()
    settings.SITE_URL = live_server.url  # links in the mails lead back to this server
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _subscribe(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/subscribe/")
    page.fill("input[name=email]", email)
    page.check("input[name=stories]")
    page.select_option("select[name=frequency]", "daily")
    page.click("main button[type=submit]")


def test_a_reader_subscribes_confirms_from_the_mail_and_unsubscribes(page, live_server):
    _subscribe(page, live_server, "reader@example.org")
    assert "inbox" in page.inner_text("main").lower()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "subscribe-sent.png"), full_page=True)

    [confirmation] = mail.outbox
    confirm_link = re.search(r"https?://\S+/confirm/\S+/", confirmation.body).group(0)
    page.goto(confirm_link)
    assert Subscription.objects.get(email="reader@example.org").confirmed_at is None  # GET alone
    page.click("main button[type=submit]")
    subscription = Subscription.objects.get(email="reader@example.org")
    assert subscription.confirmed_at is not None
    assert "confirmed" in page.inner_text("main").lower()

    page.goto(unsubscribe_url(subscription))
    assert Subscription.objects.get(pk=subscription.pk).active  # GET never unsubscribes
    page.click("main button[type=submit]")
    assert not Subscription.objects.get(pk=subscription.pk).active
    assert "unsubscribed" in page.inner_text("main").lower()


def test_a_bad_address_is_shown_as_an_error_and_nothing_is_saved(page, live_server):
    _subscribe(page, live_server, "not-an-address")
    assert page.locator("[role=alert]").count() >= 1
    assert page.input_value("input[name=email]") == "not-an-address"  # the input is kept
    assert not Subscription.objects.exists()
    assert mail.outbox == []

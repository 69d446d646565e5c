"""The archived copy in a real browser (Chromium, JavaScript on): bannered, its scripts never run.

Saves screenshots of the archived page under var/screenshots/.
"""

import pytest

from archive import services
from tests.archive.origin import origin_allowed
from tests.browser import SCREENSHOTS
from tests.factories import make_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (b"<!doctype html><html><head><title>Original title</title>"
           b"<script>document.title = 'script ran'; fetch('/api/stories/');</script></head>"
           b"<body onload=\"document.body.dataset.loaded = 'yes'\"><article><h1>Offensive</h1>"
           b"<p>Troops advanced on Tuesday.</p><img src='https://tracker.example/pixel.gif' alt=''>"
           b"</article></body></html>")


def _archived(browser, live_server, settings, captured: bytes, *, width: int = 1280):
    with origin_allowed(settings) as site:
        site.serve("/report", captured)
        source = make_source(url=site.url("/report"), outlet="Example News", title="Offensive")
        services.source_capture(source.pk)
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    return source, context, context.new_page()


def _copy_frame(page):
    return next(frame for frame in page.frames if "/archive/copy/" in frame.url)


def test_the_archived_page_shows_the_banner_and_runs_none_of_its_scripts(browser, live_server, settings):
    source, context, page = _archived(browser, live_server, settings, HOSTILE)
    answered = []  # a request the CSP blocks never gets an answer
    page.on("response", lambda response: answered.append(response.url))
    page.goto(f"{live_server.url}/sources/{source.pk}/archive/")
    assert page.get_by_text("Archived copy, not the live page.").is_visible()
    copy = page.frame_locator("iframe.archive-copy")
    copy.get_by_text("Troops advanced on Tuesday.").wait_for()
    assert copy.get_by_text("Troops advanced on Tuesday.").is_visible()
    frame = _copy_frame(page)
    assert frame.title() == "Original title"
    assert frame.evaluate("document.body.dataset.loaded") is None
    ours = [url for url in answered if "/static/" not in url]
    assert ours == [f"{live_server.url}/sources/{source.pk}/archive/",
                    f"{live_server.url}/sources/{source.pk}/archive/copy/?capture={frame.url.split('=')[-1]}"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "source-archive-desktop.png"), full_page=True)
    context.close()


# A captured page that tries both tricks of issue 24: a fake <body> in a comment, and CSS aimed at the banner.
IMPOSTOR = (b"<!doctype html><html><head><title>Tracker</title><style>div[role=note], section[role=note],"
            b" .archive-banner {display:none!important}</style></head><!-- <body> --><body>"
            b"<h1>Session expired, log in</h1><p>Troops advanced on Tuesday.</p></body></html>")


def test_a_captured_page_cannot_hide_or_restyle_the_banner(browser, live_server, settings):
    source, context, page = _archived(browser, live_server, settings, IMPOSTOR)
    page.goto(f"{live_server.url}/sources/{source.pk}/archive/")
    banner = page.locator("section.archive-banner")
    assert banner.is_visible()
    assert banner.evaluate("node => getComputedStyle(node).display") == "block"
    assert page.locator("iframe.archive-copy").get_attribute("sandbox") == ""
    page.frame_locator("iframe.archive-copy").get_by_text("Session expired, log in").wait_for()
    context.close()


def test_the_copy_opened_on_its_own_goes_to_the_banner_page(browser, live_server, settings):
    source, context, page = _archived(browser, live_server, settings, IMPOSTOR)
    page.goto(f"{live_server.url}/sources/{source.pk}/archive/copy/")
    assert "/archive/?capture=" in page.url
    assert page.get_by_text("Archived copy, not the live page.").is_visible()
    context.close()


def test_the_archived_page_reads_on_a_phone(browser, live_server, settings):
    source, context, page = _archived(browser, live_server, settings, HOSTILE, width=390)
    page.goto(f"{live_server.url}/sources/{source.pk}/archive/")
    assert page.get_by_text("Archived copy, not the live page.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "source-archive-phone.png"), full_page=True)
    context.close()

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


def test_the_archived_page_shows_the_banner_and_runs_none_of_its_scripts(browser, live_server, settings):
    with origin_allowed(settings) as site:
        site.serve("/report", HOSTILE)
        source = make_source(url=site.url("/report"), outlet="Example News", title="Offensive")
        services.source_capture(source.pk)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    page = context.new_page()
    answered = []  # a request the CSP blocks never gets an answer
    page.on("response", lambda response: answered.append(response.url))
    page.goto(f"{live_server.url}/sources/{source.pk}/archive/")
    assert page.get_by_text("Archived copy, not the live page.").is_visible()
    assert page.get_by_text("Troops advanced on Tuesday.").is_visible()
    assert page.title() == "Original title"
    assert page.evaluate("document.body.dataset.loaded") is None
    assert answered == [f"{live_server.url}/sources/{source.pk}/archive/"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "source-archive-desktop.png"), full_page=True)
    context.close()

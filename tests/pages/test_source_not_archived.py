"""A failed capture is not silent: readers see "not archived" and why; editors get a list (issue 24: 7)."""

import pytest

from archive import selectors, services
from events.models import Source
from tests.archive.origin import article, origin_allowed
from tests.factories import make_claim, make_development, make_source

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def origin(settings):
    with origin_allowed(settings) as site:
        yield site


def failed_source(origin, path: str = "/down", status: int = 503) -> Source:
    origin.serve(path, b"down for maintenance", status=status)
    source = make_source(url=origin.url(path), outlet="Example News")
    services.source_capture(source.pk)
    return source


def page(client, development) -> str:
    return client.get(f"/stories/{development.story.slug}/developments/{development.pk}/").content.decode()


def test_a_source_whose_capture_failed_says_not_archived_and_why_on_the_development(client, origin):
    source = failed_source(origin)
    development = make_development(sources=[source])
    html = page(client, development)
    assert "not archived: the site answered HTTP 503 Service Unavailable" in html


def test_a_claim_citing_a_source_whose_capture_failed_says_not_archived(client, origin):
    source = failed_source(origin)
    claim = make_claim(sources=[source])
    html = page(client, claim.development)
    claim_html = html[html.index(f'id="claim-{claim.pk}"'):]
    assert "not archived: the site answered HTTP 503" in claim_html[:claim_html.index("</article>")]


def test_a_source_that_did_not_answer_in_time_says_so(client, origin, settings):
    settings.OUTBOUND_TIMEOUT_SECONDS = 1
    origin.hang("/slow")
    source = make_source(url=origin.url("/slow"))
    services.source_capture(source.pk)
    development = make_development(sources=[source])
    assert "not archived: the site did not answer in time" in page(client, development)


def test_an_archived_source_does_not_say_not_archived(client, origin):
    origin.serve("/report", article("Troops advanced."))
    source = make_source(url=origin.url("/report"))
    services.source_capture(source.pk)
    development = make_development(sources=[source])
    html = page(client, development)
    assert "archived <time" in html and "not archived" not in html


def test_a_source_not_tried_yet_says_nothing(client):
    development = make_development(sources=[make_source(url="https://news.example.org/a")])
    assert "not archived" not in page(client, development)


def test_failed_captures_lists_cited_sources_whose_latest_fetch_failed_with_the_reason(origin):
    failed = failed_source(origin)
    origin.serve("/report", article("Troops advanced."))
    archived = make_source(url=origin.url("/report"))
    services.source_capture(archived.pk)
    uncited = failed_source(origin, "/uncited", status=500)
    make_claim(sources=[failed, archived])
    listed = selectors.failed_captures()
    assert [(row.source.pk, row.reason) for row in listed] == [
        (failed.pk, "the site answered HTTP 503 Service Unavailable")]
    assert uncited.pk not in [row.source.pk for row in listed]


def test_failed_captures_drops_a_source_once_a_later_fetch_succeeds(origin):
    source = failed_source(origin)
    make_claim(sources=[source])
    origin.serve("/down", article("Back."))
    services.source_check(source.pk)
    assert selectors.failed_captures() == []

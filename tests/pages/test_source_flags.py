"""Readers see "archived <date>" by a source, and a flag on each claim citing a changed or gone source."""

import pytest

from archive import services
from events.models import Source
from tests.archive.origin import article, captured_source, origin_allowed
from tests.factories import make_claim, make_development

pytestmark = pytest.mark.django_db


@pytest.fixture
def origin(settings):
    with origin_allowed(settings) as site:
        yield site


@pytest.fixture
def cited(origin):
    source = captured_source(origin, "/report", article("Ten soldiers died."), outlet="Example News")
    development = make_development(sources=[source])
    claim = make_claim(development=development, sources=[source])
    return Source.objects.get(pk=source.pk), development, claim


def page(client, development) -> str:
    return client.get(f"/stories/{development.story.slug}/developments/{development.pk}/").content.decode()


def test_a_captured_source_shows_archived_with_its_date_and_a_link(client, cited):
    source, development, _ = cited
    html = page(client, development)
    assert f'href="/sources/{source.pk}/archive/"' in html
    assert "archived <time" in html


def test_a_changed_source_is_flagged_on_the_claim_citing_it_and_on_the_story(client, cited, origin):
    source, development, claim = cited
    origin.serve("/report", article("Twelve soldiers died."))
    services.source_check(source.pk)
    html = page(client, development)
    claim_html = html[html.index(f'id="claim-{claim.pk}"'):]
    assert "source changed since cited" in claim_html[:claim_html.index("</article>")]
    assert "source changed since cited" in client.get(f"/stories/{development.story.slug}/").content.decode()


def test_a_gone_source_is_flagged(client, cited, origin, settings):
    source, development, _ = cited
    settings.ARCHIVE_GONE_AFTER = 1
    origin.serve("/report", b"", status=404)
    services.source_check(source.pk)
    assert "source gone since cited" in page(client, development)

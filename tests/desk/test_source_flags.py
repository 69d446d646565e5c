"""The desk flags every claim citing a source that changed or went away since it was cited."""

import pytest

from archive import services as archive_services
from tests.archive.origin import article, captured_source, origin_allowed
from tests.factories import make_claim, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(settings):
    with origin_allowed(settings) as site:
        source = captured_source(site, "/report", article("Ten soldiers died."))
        claim = make_claim(sources=[source])
        site.serve("/report", article("Twelve soldiers died."))
        archive_services.source_check(source.pk)
        yield source, claim


def test_the_claims_list_flags_a_claim_whose_source_changed_since_cited(desk, changed):
    _, claim = changed
    calm = make_claim(sources=[make_source()])
    html = desk.get("/admin/claims/claim/").content.decode()
    assert html.count("source changed since cited") == 1
    assert str(calm.paraphrase) in html


def test_the_claim_form_shows_the_flag(desk, changed):
    _, claim = changed
    html = desk.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "source changed since cited" in html


def test_the_development_form_flags_the_claim_under_review(desk, changed):
    _, claim = changed
    html = desk.get(f"/admin/events/development/{claim.development_id}/change/").content.decode()
    assert "source changed since cited" in html


def test_the_source_form_shows_its_archived_copy_and_captures_read_only(desk, changed):
    source, _ = changed
    html = desk.get(f"/admin/events/source/{source.pk}/change/").content.decode()
    assert f'href="/sources/{source.pk}/archive/"' in html
    assert "Changed" in html and "Captured" in html
    assert 'name="archive_sha256"' not in html

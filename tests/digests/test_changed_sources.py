"""Sources found changed or gone since cited are a digest section of their own, naming the claims."""

import pytest
from django.template.loader import render_to_string

from archive import services as archive_services
from digests.builder import build_window
from digests.email import digest_context, render_digest_html
from tests.archive.origin import article, captured_source, origin_allowed
from tests.digests.helpers import cursor, story_entry
from tests.factories import make_claim, make_development, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited(settings):
    with origin_allowed(settings) as site:
        source = captured_source(site, "/report", article("Ten soldiers died."),
                                 outlet="Example News", title="Casualties")
        development = make_development(kind="casualty_report")
        claim = make_claim(development=development, sources=[source], paraphrase="Ten soldiers died")
        yield site, source, development, claim


def test_a_source_changed_since_cited_is_its_own_section_naming_the_claims(cited):
    site, source, development, claim = cited
    start = cursor()
    site.serve("/report", article("Twelve soldiers died."))
    archive_services.source_check(source.pk)
    entry = story_entry(build_window(start, cursor()), development.story.slug)
    [changed] = entry["changed_sources"]
    assert (changed["id"], changed["archive_status"]) == (source.pk, "changed")
    assert changed["archive_status_label"] == "Changed since cited"
    assert [c["id"] for c in changed["claims"]] == [claim.pk]
    assert changed["archive_url"].endswith(f"/sources/{source.pk}/archive/")


def test_a_gone_source_is_reported_once_when_it_goes(cited, settings):
    site, source, development, _ = cited
    settings.ARCHIVE_GONE_AFTER = 1
    start = cursor()
    site.serve("/report", b"", status=410)
    archive_services.source_check(source.pk)
    middle = cursor()
    archive_services.source_check(source.pk)
    assert story_entry(build_window(start, middle), development.story.slug)["changed_sources"][0][
        "archive_status"] == "gone"
    assert build_window(middle, cursor())["stories"] == []


def test_the_first_capture_is_not_a_change_to_report(settings):
    with origin_allowed(settings) as site:
        site.serve("/r", article("Text."))
        source = make_source(url=site.url("/r"))
        make_claim(sources=[source])
        start = cursor()
        archive_services.source_capture(source.pk)
    assert build_window(start, cursor())["stories"] == []


def test_a_kind_filter_leaves_out_sources_cited_only_about_other_kinds(cited):
    site, source, development, _ = cited
    start = cursor()
    site.serve("/report", article("Twelve soldiers died."))
    archive_services.source_check(source.pk)
    assert build_window(start, cursor(), kinds=["ceasefire"])["stories"] == []
    assert build_window(start, cursor(), kinds=["casualty_report"])["stories"]


def test_email_digests_show_the_section_in_text_and_html(cited):
    site, source, development, _ = cited
    start = cursor()
    site.serve("/report", article("Twelve soldiers died."))
    archive_services.source_check(source.pk)
    content = build_window(start, cursor())
    text = render_to_string("digests/email/digest.txt", digest_context(content))
    html = render_digest_html(content)
    for body in (text, html):
        assert "Sources changed or gone since cited" in body
        assert "Example News: Casualties" in body
        assert "Ten soldiers died" in body

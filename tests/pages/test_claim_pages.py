"""Corrections readers can see: a claim's own page, its history and word-level diffs (issue 25, item 9)."""

import pytest

from claims import services as claim_services
from claims.models import Claim
from record.models import Revision
from tests.factories import make_claim, make_user
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def claim_path(claim, rest: str = "") -> str:
    return f"/stories/{claim.development.story.slug}/claims/{claim.pk}/{rest}"


def correct(claim, message="Correction: the ombudsman gave a range", **changes):
    changes = changes or {"figure_low": 180, "figure_best": 200, "figure_high": 230,
                          "figure_qualifier": Claim.Qualifier.APPROXIMATELY}
    return claim_services.claim_update(author=make_user(), claim=claim, base_version=claim.version,
                                       kind=Revision.Kind.CORRECTION, message=message, changes=changes)


def figure_claim():
    return make_claim(paraphrase="The ombudsman says at least 200 people were killed",
                      figure_unit="deaths", figure_low=200, figure_qualifier=Claim.Qualifier.AT_LEAST)


def test_a_claim_has_a_page_of_its_own(client):
    claim = make_claim(paraphrase="Baku says the operation is over")
    html = client.get(claim_path(claim)).content.decode()
    assert "Baku says the operation is over" in html
    assert f'href="{claim_path(claim, "history/")}"' in html
    assert f'href="{claim.development.get_absolute_url()}#claim-{claim.pk}"' in html


def test_a_claim_of_another_story_is_not_found(client):
    claim, other = make_claim(), make_claim()
    path = f"/stories/{other.development.story.slug}/claims/{claim.pk}/"
    assert client.get(path).status_code == 404


def test_a_claims_history_lists_every_version_newest_first_with_its_reason(client):
    claim = correct(figure_claim(), message="Correction: the toll was a range")
    html = client.get(claim_path(claim, "history/")).content.decode()
    assert html.index("Correction: the toll was a range") < html.index("New claim")
    assert f'{claim_path(claim, "diff/")}?from=1&amp;to=2' in html


def test_a_claims_diff_marks_the_words_added_and_removed(client):
    claim = correct(make_claim(paraphrase="Separatists say 200 died"),
                    paraphrase="Separatists say 200 civilians died")
    html = client.get(claim_path(claim, "diff/") + "?from=1&to=2").content.decode()
    assert "<ins" in html and "civilians" in html
    assert "Correction: the ombudsman gave a range" in html


def test_a_figure_correction_reads_before_and_after_in_words(client):
    claim = correct(figure_claim(), figure_low=180, figure_best=200, figure_high=230,
                    figure_qualifier=Claim.Qualifier.APPROXIMATELY)
    html = client.get(claim_path(claim, "diff/") + "?from=1&to=2").content.decode()
    assert "<dt>Figure</dt>" in html
    assert "at least 200 deaths" in html and "about 200 (180–230) deaths" in html
    assert "<dt>Best</dt>" not in html and "Qualifier" not in html


def test_a_bad_version_in_a_claims_diff_is_a_clear_400_and_a_missing_one_404(client):
    claim = make_claim()
    assert client.get(claim_path(claim, "diff/") + "?from=x&to=1").status_code == 400
    assert client.get(claim_path(claim, "diff/") + "?from=1&to=9").status_code == 404


def test_a_corrected_badge_links_to_what_changed(client):
    claim = correct(figure_claim())
    development = claim.development
    html = client.get(development.get_absolute_url()).content.decode()
    assert f'<a class="label label-corrected" href="{claim_path(claim, "diff/")}?from=1&amp;to=2"' in html
    story_html = client.get(f"/stories/{development.story.slug}/").content.decode()
    assert f'href="{claim_path(claim, "diff/")}?from=1&amp;to=2"' in story_html


def test_the_changelog_gives_a_changed_claim_a_see_the_changes_link(client):
    claim = correct(figure_claim())
    html = client.get(f"/stories/{claim.development.story.slug}/changes/").content.decode()
    assert f'<a href="{claim_path(claim, "diff/")}?from=1&amp;to=2">version 2: see the changes</a>' in html


def test_the_claim_pages_run_the_same_queries_however_many_versions(client):
    claim = correct(figure_claim())
    paths = [claim_path(claim), claim_path(claim, "history/"), claim_path(claim, "diff/")]
    before = [count_queries(client, path) for path in paths]
    for n in range(4):
        claim = correct(claim, message=f"Correction {n}", figure_high=230 + n,
                        verification_note=f"Checked {n}")
    assert [count_queries(client, path) for path in paths] == before

"""Bad claims are refused with a clear error on the field to fix, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from claims.services import claim_create, claim_update
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_story

pytestmark = pytest.mark.django_db


def _refused(field: str, **fields) -> ValidationError:
    development = fields.pop("development", None) or make_development()
    fields.setdefault("actor", make_actor())
    claims_before, revisions_before = Claim.objects.count(), Revision.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_claim(development, **fields)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert (Claim.objects.count(), Revision.objects.count()) == (claims_before, revisions_before)
    return refused.value


def test_a_figure_without_a_unit_is_refused():
    error = _refused("figure_unit", figure_low=200, figure_qualifier=Claim.Qualifier.AT_LEAST)
    assert "unit" in error.message_dict["figure_unit"][0]


def test_a_figure_claim_without_a_figure_is_refused():
    _refused("figure_qualifier", claim_type=Claim.Type.FIGURE)


def test_a_unit_without_a_figure_is_refused():
    _refused("figure_best", figure_unit="deaths")


def test_an_unspecified_figure_carries_no_number():
    _refused("figure_best", figure_best=5, figure_qualifier=Claim.Qualifier.UNSPECIFIED,
             figure_unit="deaths")


def test_a_low_figure_above_the_high_one_is_refused():
    _refused("figure_high", figure_low=300, figure_high=200, figure_best=None,
             figure_qualifier=Claim.Qualifier.APPROXIMATELY, figure_unit="deaths")


def test_a_best_figure_outside_its_bounds_is_refused():
    _refused("figure_best", figure_low=300, figure_best=250,
             figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths")


def test_at_least_with_a_high_figure_contradicts_its_qualifier():
    _refused("figure_low", figure_low=200, figure_high=400,
             figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths")


def test_at_most_needs_a_high_figure():
    _refused("figure_high", figure_best=50, figure_qualifier=Claim.Qualifier.AT_MOST,
             figure_unit="deaths")


def test_an_exact_figure_is_one_number():
    _refused("figure_best", figure_low=10, figure_best=12,
             figure_qualifier=Claim.Qualifier.EXACT, figure_unit="deaths")


def test_the_database_refuses_bounds_out_of_order(db):
    from django.db import IntegrityError, transaction

    claim = make_claim(figure_low=10, figure_qualifier=Claim.Qualifier.AT_LEAST, figure_unit="deaths")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(figure_best=5)


def test_a_range_with_a_group_and_a_coding_note_is_kept():
    claim = make_claim(figure_low=100, figure_best=120, figure_high=150, figure_group="civilians",
                       figure_qualifier=Claim.Qualifier.APPROXIMATELY, figure_unit="deaths",
                       figure_note="'Over a hundred' coded as 100, the most conservative reading.")
    claim.refresh_from_db()
    assert (claim.figure_low, claim.figure_best, claim.figure_high) == (100, 120, 150)
    assert claim.figure_display() == "about 120 (100–150) deaths of civilians"


def test_an_original_quote_needs_its_language():
    _refused("quote_language", quote="We will not leave.", quote_original="Մենք չենք հեռանա։",
             quote_translator="the newsroom")


def test_a_language_tag_that_is_not_bcp47_is_refused():
    _refused("quote_language", quote="We will not leave.", quote_original="Մենք չենք հեռանա։",
             quote_language="armenian", quote_translator="the newsroom")


def test_a_translated_quote_needs_its_translator():
    _refused("quote_translator", quote="We will not leave.", quote_original="Մենք չենք հեռանա։",
             quote_language="hy")


def test_an_original_quote_is_kept_beside_its_translation():
    claim = make_claim(quote="We will not leave.", quote_original="Մենք չենք հեռանա։",
                       quote_language="hy", quote_translator="the newsroom")
    claim.refresh_from_db()
    assert (claim.quote_original, claim.quote_language) == ("Մենք չենք հեռանա։", "hy")


def test_a_response_to_a_claim_about_another_story_is_refused():
    elsewhere = make_claim(make_development(make_story()))
    error = _refused("responds_to", responds_to=elsewhere,
                     response_relation=Claim.Relation.DENIES)
    assert "same story" in error.message_dict["responds_to"][0]


def test_a_response_within_the_story_is_accepted():
    story = make_story()
    allegation = make_claim(make_development(story))
    denial = make_claim(make_development(story), responds_to=allegation,
                        response_relation=Claim.Relation.DENIES)
    assert denial.responds_to == allegation


def test_a_response_needs_its_relation():
    _refused("response_relation", responds_to=make_claim())


def test_a_quote_without_a_speaker_is_refused(editor):
    development = make_development()
    before = Claim.objects.count()
    with pytest.raises(ValidationError) as refused:
        claim_create(author=editor, development=development, message="Quote",
                     made_on="2023-09-20", paraphrase="Someone said it", quote="completely false")
    assert "speaker" in " ".join(refused.value.message_dict["actor"])
    assert Claim.objects.count() == before


def test_an_edit_that_breaks_a_rule_changes_nothing(editor):
    claim = make_claim(figure_low=200, figure_qualifier=Claim.Qualifier.AT_LEAST,
                       figure_unit="deaths")
    with pytest.raises(ValidationError):
        claim_update(author=editor, claim=claim, base_version=1, message="Drop the unit",
                     changes={"figure_unit": ""})
    claim.refresh_from_db()
    assert (claim.version, claim.figure_unit) == (1, "deaths")
    assert Claim.history.filter(id=claim.pk).count() == 1

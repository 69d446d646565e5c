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
    error = _refused("figure_unit", figure_value=200, figure_qualifier=Claim.Qualifier.AT_LEAST)
    assert "unit" in error.message_dict["figure_unit"][0]


def test_a_figure_claim_without_a_figure_is_refused():
    _refused("figure_qualifier", claim_type=Claim.Type.FIGURE)


def test_a_unit_without_a_figure_is_refused():
    _refused("figure_value", figure_unit="deaths")


def test_an_unspecified_figure_carries_no_number():
    _refused("figure_value", figure_value=5, figure_qualifier=Claim.Qualifier.UNSPECIFIED,
             figure_unit="deaths")


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
    claim = make_claim(figure_value=200, figure_qualifier=Claim.Qualifier.AT_LEAST,
                       figure_unit="deaths")
    with pytest.raises(ValidationError):
        claim_update(author=editor, claim=claim, base_version=1, message="Drop the unit",
                     changes={"figure_unit": ""})
    claim.refresh_from_db()
    assert (claim.version, claim.figure_unit) == (1, "deaths")
    assert Claim.history.filter(id=claim.pk).count() == 1

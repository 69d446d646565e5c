"""The demo story's claims: written through the services, verbatim quotes attributed."""

import pytest

from claims.models import Claim
from record.models import Revision

pytestmark = pytest.mark.django_db


def _claim(story, fragment: str) -> Claim:
    return Claim.objects.select_related("actor").get(
        development__story=story, paraphrase__icontains=fragment
    )


def test_every_demo_claim_was_written_as_a_version_in_a_revision(demo_story):
    claims = Claim.objects.filter(development__story=demo_story)
    assert claims.count() >= 12
    first_versions = Claim.history.filter(version=1, id__in=claims.values("id"))
    assert first_versions.count() == claims.count()
    assert set(first_versions.values_list("revision__kind", flat=True)) == {Revision.Kind.CREATED}
    assert set(first_versions.values_list("revision__story_link__story", flat=True)) == {demo_story.pk}


@pytest.mark.parametrize(("fragment", "speaker", "quote"), [
    ("belongs to Azerbaijan", "Ilham Aliyev", "Karabakh belongs to Azerbaijan, and the whole world "
     "recognizes this, including the Armenian leadership"),
    ("allegation was false", "Ministry of Defence of Azerbaijan", "completely false"),
    ("large-scale aggression", "Government of Armenia", "an act of large-scale aggression"),
    ("security guarantees", "David Babayan", "We have an agreement on the cessation of military "
     "action, but we await a final agreement"),
    ("rejected the criticism", "Dmitry Peskov", "We reject such criticisms"),
])
def test_quotes_are_verbatim_and_attributed(demo_story, fragment, speaker, quote):
    claim = _claim(demo_story, fragment)
    assert claim.actor.name == speaker
    assert quote in claim.quote
    assert claim.sources.get().outlet == "The Epoch Times"


def test_the_casualty_figure_carries_the_outlets_caveat(demo_story):
    claim = _claim(demo_story, "at least 200")
    assert claim.figure_display() == "at least 200 deaths"
    assert "could not independently verify" in claim.verification_note


def test_the_ceasefire_breach_allegation_became_disputed_in_a_later_version(demo_story):
    claim = _claim(demo_story, "breached the terms")
    versions = list(Claim.history.filter(id=claim.pk).order_by("version")
                    .values_list("verification", flat=True))
    assert versions == ["unverified", "disputed"]

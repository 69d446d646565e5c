"""A reader of the selectors can tell who claims what, who denies it, and which figures differ."""

import datetime as dt

import pytest

from claims.models import Claim
from claims.selectors import claim_threads, contested_figures
from claims.services import claim_update
from events.models import Development
from record.selectors import revision_at
from tests.factories import make_actor, make_claim, make_development

pytestmark = pytest.mark.django_db


def _development(story, kind):
    return Development.objects.get(story=story, kind=kind)


def test_the_ceasefire_breach_allegation_is_shown_with_its_denial(demo_story):
    breach = _development(demo_story, Development.Kind.ACCUSATION)
    [thread] = claim_threads([breach.pk])[breach.pk]
    assert thread.claim.actor_cached.name == "Karabakh Armenian leadership"
    assert "ceasefire" in thread.claim.paraphrase
    [denial] = thread.responses
    assert denial.actor_cached.name == "Ministry of Defence of Azerbaijan"
    assert (denial.response_relation, denial.quote) == ("denies", "completely false")


def test_a_speaker_is_shown_with_who_they_speak_for(demo_story):
    talks = _development(demo_story, Development.Kind.NEGOTIATION)
    [thread] = claim_threads([talks.pk])[talks.pk]
    assert thread.claim.actor_cached.name == "David Babayan"
    assert thread.claim.actor_cached.affiliation_cached.name == "Samvel Shahramanyan"


def test_the_death_toll_is_a_contested_figure(demo_story):
    casualties = _development(demo_story, Development.Kind.CASUALTY_REPORT)
    [figure] = contested_figures([casualties.pk])
    assert figure.unit == "deaths" and figure.is_contested
    said = {c.actor_cached.name: c.figure_display() for c in figure.claims}
    assert said == {"Karabakh Armenian leadership": "at least 200 deaths",
                    "Government of Azerbaijan": "deaths: not given"}


def test_two_sources_agreeing_on_a_figure_do_not_contest_it():
    development = make_development()
    for _ in range(2):
        make_claim(development, figure_best=12, figure_qualifier="exact", figure_unit="injured")
    [figure] = contested_figures([development.pk])
    assert not figure.is_contested


def test_a_retracted_figure_is_left_out(editor):
    development = make_development()
    claim = make_claim(development, figure_best=3, figure_qualifier="exact", figure_unit="deaths")
    claim_update(author=editor, claim=claim, base_version=1, message="Withdrawn",
                 changes={"retracted": True, "retraction_reason": "Misreported"})
    assert contested_figures([development.pk]) == []


def test_as_of_the_morning_of_21_september_the_denial_was_not_yet_known(demo_story):
    breach = _development(demo_story, Development.Kind.ACCUSATION)
    upto = revision_at(dt.datetime(2023, 9, 21, 10, 30, tzinfo=dt.UTC))
    [thread] = claim_threads([breach.pk], upto=upto)[breach.pk]
    assert thread.responses == []
    assert thread.claim.verification == Claim.Verification.UNVERIFIED


@pytest.mark.parametrize("as_of", [False, True])
def test_threads_and_figures_take_constant_queries(editor, django_assert_num_queries, as_of):
    development = make_development()
    actors = [make_actor(affiliation=make_actor()) for _ in range(5)]

    def grow(n):
        for i in range(n):
            root = make_claim(development, actor=actors[i % 5], figure_best=i,
                              figure_qualifier="exact", figure_unit="deaths")
            make_claim(development, actor=actors[(i + 1) % 5], responds_to=root,
                       response_relation="denies")

    def count(n):
        grow(n)
        upto = revision_at(dt.datetime.now(dt.UTC)) if as_of else None
        with django_assert_num_queries(4):  # claims, actors, affiliations, cited sources
            claim_threads([development.pk], upto=upto)
        with django_assert_num_queries(3):
            contested_figures([development.pk], upto=upto)

    count(2)
    count(20)

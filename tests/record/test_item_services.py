"""The registry finds each item's services where its domain registered them."""

from claims.models import Claim
from events.models import Actor, Briefing, Development, Source, Story
from record.registry import item_services, models_with_services


def test_each_domain_registers_the_services_of_its_items():
    assert set(models_with_services()) == {Story, Development, Actor, Source, Briefing, Claim}


def test_an_items_services_name_it_by_its_own_keyword():
    assert (item_services(Development).arg, item_services(Claim).arg) == ("development", "claim")


def test_only_developments_and_claims_are_retracted():
    retractable = {model for model in models_with_services() if item_services(model).retract}
    assert retractable == {Development, Claim}

"""Facets narrow a search, combine, and count per value under the other facets."""

import datetime as dt

import pytest

from search.query import parse
from search.selectors import Filters, search
from tests.factories import make_actor, make_claim, make_development, make_story
from tests.search.helpers import found

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _sept(day, hour=0):
    return dt.datetime(2023, 9, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def shelling(committed):
    with committed():
        story, other_story = make_story(), make_story()
        army = make_actor(name="Defence ministry")
        items = {
            "key": make_development(story=story, title="Shelling of Stepanakert", kind="military_action",
                                    key_event=True, country="AZ", admin1="Khankendi", actors=[army]),
            "call": make_development(story=story, title="Call about shelling", kind="call"),
            "elsewhere": make_development(story=other_story, title="Shelling in Goris", country="AM",
                                          kind="military_action"),
        }
        items["claim"] = make_claim(development=items["key"], actor=army, paraphrase="The shelling stopped",
                                    verification="disputed")
    return story, other_story, army, items


def test_each_facet_narrows_the_search(shelling):
    story, _, army, items = shelling
    expected = {
        Filters(story=story.id): {items["key"], items["call"], items["claim"]},
        Filters(type="claim"): {items["claim"]},
        Filters(kind="call"): {items["call"]},
        Filters(actor=army.id): {items["key"], items["claim"]},
        Filters(verification="disputed"): {items["claim"]},
        Filters(status="reported"): {items["key"], items["call"], items["elsewhere"]},
        Filters(key=True): {items["key"]},
        Filters(country="AM"): {items["elsewhere"]},
        Filters(admin1="Khankendi"): {items["key"]},
    }
    for filters, items_found in expected.items():
        ids = {pk for _, pk in found("shelling", filters=filters)}
        assert ids == {item.id for item in items_found}, filters


def test_facets_combine(shelling):
    story, _, _, items = shelling
    assert found("shelling", filters=Filters(story=story.id, kind="military_action")) == {
        ("development", items["key"].id)}


def test_each_facet_counts_its_values_under_the_other_facets(shelling):
    story, other_story, army, _ = shelling
    facets = search(parse("shelling"), filters=Filters(kind="military_action")).facets
    assert facets["story"] == {story.id: 1, other_story.id: 1}
    assert facets["kind"] == {"military_action": 2, "call": 1}
    assert facets["actor"] == {army.id: 1}
    assert facets["key"] == {True: 1}


def test_a_date_range_keeps_what_may_have_happened_in_it_by_its_precision(committed):
    with committed():
        on_the_day = make_development(title="Evacuation", occurred_at=_sept(24, 20),
                                      occurred_precision="day")
        in_the_month = make_development(title="Evacuation", occurred_at=_sept(1),
                                        occurred_precision="month")
        to_the_hour = make_development(title="Evacuation", occurred_at=_sept(25, 23),
                                       occurred_precision="hour")
    sept_25 = Filters(occurred_from=dt.date(2023, 9, 25), occurred_to=dt.date(2023, 9, 25))
    assert {pk for _, pk in found("evacuation", filters=sept_25)} == {in_the_month.id, to_the_hour.id}
    sept_24 = Filters(occurred_from=dt.date(2023, 9, 24), occurred_to=dt.date(2023, 9, 24))
    assert {pk for _, pk in found("evacuation", filters=sept_24)} == {on_the_day.id, in_the_month.id}

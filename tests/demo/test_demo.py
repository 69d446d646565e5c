"""The demo story: loaded through the services, dated as the facts became known."""

import datetime as dt

import pytest
from django.core.management import call_command

from demo.story import load_demo
from events.models import Development
from events.selectors import story_timeline
from record.models import Revision
from record.selectors import revision_at

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_it_has_the_developments_of_the_story(demo_story):
    titles = " | ".join(d.title for d in story_timeline(demo_story))
    assert Development.objects.filter(story=demo_story).count() >= 7
    for fragment in ["offensive", "ceasefire", "Karabakh belongs", "Yevlakh",
                     "breaking the ceasefire", "Putin and Aliyev", "peacekeepers"]:
        assert fragment.lower() in titles.lower(), fragment


def test_its_revisions_include_updates_and_a_correction(demo_story):
    kinds = list(Revision.objects.values_list("kind", flat=True))
    assert len(kinds) >= 12
    assert Revision.Kind.CORRECTION in kinds
    assert Revision.Kind.UPDATE in kinds


def test_revisions_are_dated_when_the_facts_became_known(demo_story):
    times = list(Revision.objects.order_by("id").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert times[0].date() == dt.date(2023, 9, 19)
    assert times[-1].date() == dt.date(2023, 9, 21)


def test_as_of_20_september_shows_the_offensive_but_not_the_yevlakh_talks(demo_story):
    upto = revision_at(dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    titles = [d.title for d in story_timeline(demo_story, upto=upto)]
    assert any("offensive" in t for t in titles)
    assert not any("Yevlakh" in t for t in titles)


def test_loading_twice_changes_nothing(demo_story):
    before = Revision.objects.count()
    call_command("load_demo")
    assert Revision.objects.count() == before


def test_the_demo_source_is_archived_from_its_local_copy(demo_story, client):
    import hashlib

    from archive.models import Capture
    from demo.story import SOURCE_FIXTURE
    from events.models import Source

    [source] = Source.objects.exclude(url="")
    capture = Capture.objects.get(source=source)
    assert capture.sha256 == hashlib.sha256(SOURCE_FIXTURE.read_bytes()).hexdigest()
    assert source.archive_sha256 == capture.sha256
    assert source.history.latest("version").revision.kind == Revision.Kind.CAPTURE
    assert b"Archived copy" in client.get(f"/sources/{source.pk}/archive/").content


def test_loading_again_captures_nothing_more(demo_story):
    from archive.models import Capture

    load_demo()
    assert Capture.objects.count() == 1


def test_its_sources_were_published_on_each_day_of_the_story(demo_story):
    from events.models import Source

    days = set(Source.objects.values_list("published_on", flat=True))
    assert {dt.date(2023, 9, day) for day in (19, 20, 21)} <= days


def test_a_source_is_recorded_no_earlier_than_the_day_it_was_published(demo_story):
    from events.models import Source

    for source in Source.objects.filter(url=""):  # the statements; the article is cited from the start
        created = source.history.earliest("version").revision.created_at
        assert created.date() >= source.published_on, source


def test_its_developments_have_places_with_coordinates_and_a_precision(demo_story):
    placed = Development.objects.filter(story=demo_story, latitude__isnull=False)
    assert placed.count() >= 5
    assert all(d.geo_precision and d.country == "AZ" for d in placed)
    yevlakh = placed.get(title__contains="Yevlakh")
    assert (yevlakh.latitude, yevlakh.longitude, yevlakh.geo_precision) == (40.6183, 47.15, "exact")


def test_the_death_toll_is_reported_on_more_than_one_day(demo_story):
    from claims.selectors import contested_figures

    ids = Development.objects.filter(story=demo_story).values_list("id", flat=True)
    [deaths] = contested_figures(ids)
    assert len({claim.made_on for claim in deaths.claims}) >= 2


def test_as_of_19_september_the_death_toll_is_the_first_count(demo_story):
    from claims.selectors import contested_figures

    ids = Development.objects.filter(story=demo_story).values_list("id", flat=True)
    upto = revision_at(dt.datetime(2023, 9, 20, tzinfo=dt.UTC))
    [deaths] = contested_figures(ids, upto=upto)
    assert [claim.figure_low for claim in deaths.claims] == [27]

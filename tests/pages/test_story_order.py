"""Following a live story from the top: `?order=newest` and the "Latest" jump (issue 25, item 8)."""

import datetime as dt

import pytest

from tests.factories import make_development, make_story

pytestmark = pytest.mark.django_db


def day(n: int) -> dt.datetime:
    return dt.datetime(2023, 9, n, 12, tzinfo=dt.UTC)


@pytest.fixture
def story():
    story = make_story(slug="offensive")
    make_development(story=story, title="Offensive begins", occurred_at=day(19))
    make_development(story=story, title="Ceasefire agreed", occurred_at=day(20))
    make_development(story=story, title="Talks in Yevlakh", occurred_at=day(21))
    return story


def titles(html: str) -> list[str]:
    names = ["Offensive begins", "Ceasefire agreed", "Talks in Yevlakh"]
    timeline = html[html.index('<ol class="timeline'):]
    return sorted(names, key=timeline.index)


def test_the_timeline_reads_in_the_order_things_happened_by_default(client, story):
    assert titles(client.get("/stories/offensive/").content.decode()) == [
        "Offensive begins", "Ceasefire agreed", "Talks in Yevlakh"]


def test_order_newest_puts_the_latest_development_first(client, story):
    html = client.get("/stories/offensive/?order=newest").content.decode()
    assert titles(html) == ["Talks in Yevlakh", "Ceasefire agreed", "Offensive begins"]
    assert '<a href="/stories/offensive/?order=newest" aria-current="page">Newest first</a>' in html


def test_an_unknown_order_is_the_chronological_timeline(client, story):
    assert titles(client.get("/stories/offensive/?order=sideways").content.decode())[0] == "Offensive begins"


def test_the_latest_jump_points_at_the_development_that_happened_last(client, story):
    latest = story.developments.get(title="Talks in Yevlakh")
    for url in ("/stories/offensive/", "/stories/offensive/?order=newest"):
        html = client.get(url).content.decode()
        jump = html[html.index('class="latest-jump"'):]
        assert jump.index(f'href="#development-{latest.id}"') < jump.index("</p>")
        assert "Talks in Yevlakh" in jump[:jump.index("</p>")]


def test_the_newest_order_is_remembered_in_the_as_of_links_and_form(client, story):
    html = client.get("/stories/offensive/?order=newest&as_of=2099-01-01").content.decode()
    assert "&amp;order=newest" in html  # earlier moment
    assert 'href="/stories/offensive/?order=newest">See the latest version' in html
    assert '<input type="hidden" name="order" value="newest">' in html
    assert titles(html)[0] == "Talks in Yevlakh"


def test_each_order_is_its_own_cached_page(client, story):
    first = client.get("/stories/offensive/").content.decode()
    newest = client.get("/stories/offensive/?order=newest").content.decode()
    assert titles(first) != titles(newest)

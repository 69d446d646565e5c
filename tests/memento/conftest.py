"""A story recorded over three days, a development and a claim: the originals the Memento tests ask about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from claims.models import Claim
from events import services
from events.models import Development, Story
from tests.factories import make_actor, make_claim, make_development, make_story, make_user


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, tzinfo=dt.UTC)


@dataclass
class Recorded:
    story: Story
    development: Development
    claim: Claim
    times: list[dt.datetime]  # every revision of the story, in order


@pytest.fixture
def recorded(db) -> Recorded:
    """Story 19 Sept 08:00; development 19 Sept 10:00; claim 20 Sept 09:00; the development
    edited 21 Sept 15:30 (its summary says so)."""
    author = make_user()
    story = make_story(slug="offensive", title="The offensive", author=author, at=at(19, 8))
    development = make_development(story=story, author=author, title="Shelling reported",
                                   summary="First word.", at=at(19, 10))
    actor = make_actor(author=author, name="Ministry", at=at(19, 11))
    claim = make_claim(development=development, author=author, actor=actor,
                       paraphrase="The ministry denies it", at=at(20, 9))
    development = services.development_update(
        author=author, development=development, base_version=development.version,
        message="Second word", changes={"summary": "Second word."},
        at=at(21, 15) + dt.timedelta(minutes=30))
    return Recorded(story, development, claim,
                    [at(19, 8), at(19, 10), at(20, 9), at(21, 15) + dt.timedelta(minutes=30)])

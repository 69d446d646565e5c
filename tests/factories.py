"""Small factories that write through the services, as the product does."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import services as claim_services
from claims.models import Claim
from desk.roles import EDITORS_GROUP, REVIEWERS_GROUP
from events import services
from events.models import Actor, Development, Source, Story

_seq = itertools.count(1)


def make_user(username: str | None = None, **fields):
    return get_user_model().objects.create_user(
        username=username or f"user{next(_seq)}", password="pw-for-tests-only", **fields
    )


def make_editor(username: str | None = None):
    user = make_user(username or f"editor{next(_seq)}", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def make_reviewer(username: str | None = None):
    """An editor who also reviews (approves corrections and retractions)."""
    user = make_editor(username or f"reviewer{next(_seq)}")
    user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    return user


def make_story(author=None, **fields) -> Story:
    n = next(_seq)
    fields = {"slug": f"story-{n}", "title": f"Story {n}", **fields}
    return services.story_create(author=author or make_user(), message="New story", **fields)


def make_development(story: Story | None = None, author=None, **fields) -> Development:
    story = story or make_story(author=author)
    fields = {
        "title": f"Development {next(_seq)}",
        "kind": Development.Kind.STATEMENT,
        "occurred_at": dt.datetime(2023, 9, 19, tzinfo=dt.UTC),
        **fields,
    }
    return services.development_create(
        author=author or make_user(), story=story, message="New development", **fields
    )


def make_actor(author=None, **fields) -> Actor:
    fields = {"name": f"Actor {next(_seq)}", "kind": Actor.Kind.PERSON, **fields}
    return services.actor_create(author=author or make_user(), message="New actor", **fields)


def make_source(author=None, **fields) -> Source:
    fields = {"outlet": "Outlet", "title": f"Report {next(_seq)}", **fields}
    return services.source_create(
        author=author or make_user(), message="New source", **fields
    )


def make_claim(development: Development | None = None, author=None, **fields) -> Claim:
    development = development or make_development(author=author)
    fields = {
        "actor": fields.pop("actor", None) or make_actor(author=author),
        "made_on": dt.date(2023, 9, 20),
        "paraphrase": f"Claim {next(_seq)}",
        **fields,
    }
    return claim_services.claim_create(
        author=author or make_user(), development=development, message="New claim", **fields
    )


def edit_many_times(development: Development, times: int, author=None) -> Development:
    """`times` new versions of a development, each changing its summary, actors and sources
    (so that every version has many-to-many sets of its own to load)."""
    author = author or make_user()
    for n in range(times):
        development = services.development_update(
            author=author, development=development, base_version=development.version,
            message=f"Edit {n}", changes={
                "summary": f"{development.summary} More {n}.",
                "actors": [make_actor(author=author), make_actor(author=author)],
                "sources": [make_source(author=author)],
            },
        )
    return development


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client

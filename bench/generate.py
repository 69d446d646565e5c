"""A synthetic story of any size, written through the real services (for benchmarks).

Every item's content is a function of its number and the version round, so a
story generated with 10 rounds of history and its twin written straight at the
last round (`current_only`) have the same current state and different depths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from claims import services as claim_services
from claims.models import Claim
from events import services
from events.editing import story_revision
from events.models import Actor, Development, Story
from record.models import Revision

BENCH_USERNAME = "bench-desk"
KINDS = [k for k, _ in Development.Kind.choices]
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@dataclass
class Generated:
    story: Story
    developments: int
    claims: int
    versions: int
    revisions: int


def bench_author():
    user, created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _development_fields(i: int, round_: int) -> dict:
    return {
        "title": f"Development {i}: shelling reported near village {i % 97}",
        "summary": " ".join(
            f"Round {r}: officials gave an updated account of event {i}." for r in range(1, round_ + 1)
        ),
        "kind": KINDS[i % len(KINDS)],
        "occurred_at": START + dt.timedelta(hours=i),
        "location": f"Sector {i % 13}",
        "status": Development.Status.CONFIRMED if round_ > 1 else Development.Status.REPORTED,
    }


def _claim_fields(j: int, round_: int) -> dict:
    verifications = [v for v, _ in Claim.Verification.choices]
    fields = {
        "paraphrase": f"Claim {j}, as reported in round {round_}: forces advanced {j % 17} km.",
        "verification": verifications[(j + round_) % len(verifications)] if round_ > 1
        else Claim.Verification.UNVERIFIED,
        "verification_note": f"Checked in round {round_}." if round_ > 1 else "",
    }
    if j % 4 == 0:
        fields.update(figure_low=10 * j + round_, figure_qualifier=Claim.Qualifier.AT_LEAST,
                      figure_unit="deaths")
    return fields


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def generate_story(
    *, slug: str, developments: int, claims: int, versions: int, per_revision: int = 50,
    current_only: bool = False, progress=None,
) -> Generated:
    """Write a story with `developments` developments and `claims` claims, `versions` each.

    Items are written `per_revision` to a revision (an editor's bulk edit), so the
    log has versions/per_revision times fewer revisions than versions.
    `current_only` writes each item once, straight at its last round's content.
    """
    author = bench_author()
    rounds = [versions] if current_only else list(range(1, versions + 1))
    revisions = 0

    def step(message: str):
        nonlocal revisions
        revisions += 1
        if progress:
            progress(message)

    story = services.story_create(author=author, message="Benchmark story", slug=slug,
                                  title=f"Benchmark story {slug}", summary="Synthetic.")
    with story_revision(author=author, message="Actors and sources", kind=Revision.Kind.CREATED):
        actors = [services.actor_create(author=author, message="-", name=f"Actor {n}",
                                              kind=Actor.Kind.PERSON) for n in range(20)]
        sources = [services.source_create(author=author, message="-", outlet=f"Outlet {n}",
                                                title=f"Report {n}") for n in range(10)]
    step("actors")

    dev_rows: list[Development] = []
    for batch in _batches(range(developments), per_revision):
        with story_revision(author=author, message="New developments", kind=Revision.Kind.CREATED,
                      story=story):
            for i in batch:
                dev_rows.append(services.development_create(
                    author=author, story=story, message="-", **_development_fields(i, rounds[0]),
                    actors=[actors[i % 20], actors[(i + 7) % 20]], sources=[sources[i % 10]],
                ))
        step("developments")

    claim_rows: list[Claim] = []
    for batch in _batches(range(claims), per_revision):
        with story_revision(author=author, message="New claims", kind=Revision.Kind.CREATED, story=story):
            for j in batch:
                development = dev_rows[j % developments]
                previous = claim_rows[j - developments] if j >= developments and j % 5 == 0 else None
                extra = ({"responds_to": previous, "response_relation": Claim.Relation.DISPUTES}
                         if previous is not None and previous.development_id == development.pk else {})
                claim_rows.append(claim_services.claim_create(
                    author=author, development=development, message="-",
                    actor=actors[j % 20], made_on=dt.date(2024, 1, 1) + dt.timedelta(days=j % 60),
                    sources=[sources[j % 10]], **_claim_fields(j, rounds[0]), **extra,
                ))
        step("claims")

    for round_ in rounds[1:]:
        for batch in _batches(range(developments), per_revision):
            with story_revision(author=author, message=f"Round {round_} of updates",
                          kind=Revision.Kind.UPDATE, story=story):
                for i in batch:
                    dev_rows[i] = services.development_update(
                        author=author, development=dev_rows[i], base_version=dev_rows[i].version,
                        message="-", changes=_development_fields(i, round_),
                    )
            step(f"round {round_}: developments")
        for batch in _batches(range(claims), per_revision):
            with story_revision(author=author, message=f"Round {round_} of verification",
                          kind=Revision.Kind.UPDATE, story=story):
                for j in batch:
                    claim_rows[j] = claim_services.claim_update(
                        author=author, claim=claim_rows[j], base_version=claim_rows[j].version,
                        message="-", changes=_claim_fields(j, round_),
                    )
            step(f"round {round_}: claims")
    return Generated(story=story, developments=developments, claims=claims,
                     versions=len(rounds), revisions=revisions + 1)

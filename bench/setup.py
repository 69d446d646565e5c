"""The data the measures run on: a deep story, its shallow twin, and a story to write to."""

from __future__ import annotations

import time
from dataclasses import dataclass

from demo.story import load_demo
from events.models import Development, Story
from record.errors import RevisionOrderError
from record.tree import build_missing_leaves

from .generate import bench_author, generate_story
from .log import fill_log


@dataclass(frozen=True)
class Size:
    developments: int
    claims: int
    versions: int
    read_repeat: int
    write_repeat: int
    log_revisions: int = 100_000  # 4. the change feed's cursor runs over a log this long
    digest_window: int = 1_000  # 6. revisions in the digest window
    digest_many: int = 10_000  # 6. subscriptions (over 20 filter sets) ...
    digest_few: int = 100  # ... vs these
    digest_send: int = 2_000  # 6. digests sent to aiosmtpd for the emails/s figure
    per_revision: int = 50
    import_rows: int = 10_000  # 7. ACLED-layout rows imported into an empty story
    import_memory_rows: int = 100_000  # 7. peak RSS importing this many rows vs a tenth of them


SIZES = {
    "full": Size(developments=500, claims=2000, versions=10, read_repeat=25, write_repeat=300),
    "small": Size(developments=100, claims=400, versions=10, read_repeat=15, write_repeat=100,
                  log_revisions=20_000, digest_window=200, digest_many=1_000, digest_send=500,
                  import_rows=2_000, import_memory_rows=20_000),
    "tiny": Size(developments=4, claims=8, versions=3, read_repeat=2, write_repeat=3, per_revision=3,
                 log_revisions=400, digest_window=10, digest_many=40, digest_few=20, digest_send=10,
                 import_rows=200, import_memory_rows=300),
}


@dataclass
class Bench:
    deep: Story
    feed_story: Story  # the demo story: what the load measures serve as feed.atom
    flat: Story
    writes: Development
    author: object
    deep_versions: int
    size: Size
    read_repeat: int
    write_repeat: int
    generated_in_s: float

    def middle_development(self, story: Story) -> int:
        ids = list(Development.objects.filter(story=story).order_by("id").values_list("id", flat=True))
        return ids[len(ids) // 2]


def _story(slug: str, size: Size, *, current_only: bool, log) -> Story:
    # Generated once per database and size; later runs reuse it (scripts/bench.sh
    # recreates the database unless BENCH_KEEP_DB=1).
    existing = Story.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    log(f"generating {slug} ...")
    return generate_story(
        slug=slug, developments=size.developments, claims=size.claims, versions=size.versions,
        per_revision=size.per_revision, current_only=current_only,
    ).story


def _demo_story(log) -> Story:
    # First, on a fresh database: its revisions are dated 2023 and the log is append-only in time.
    try:
        return load_demo()[0]
    except RevisionOrderError:
        log("the demo story cannot be loaded after later revisions: feeds serve the flat story")
        return None


def prepare(size: Size, log=print) -> Bench:
    started = time.perf_counter()
    key = f"{size.developments}-{size.claims}-{size.versions}"
    feed_story = _demo_story(log)
    deep = _story(f"bench-deep-{key}", size, current_only=False, log=log)
    flat = _story(f"bench-flat-{key}", size, current_only=True, log=log)
    writes = _story("bench-writes", Size(1, 0, 1, 0, 0), current_only=True, log=log)
    filled = fill_log(size.log_revisions)
    if filled:
        log(f"filled the log with {filled} bulk revisions")
    leaves = build_missing_leaves()  # the bulk revisions' leaves, as the first write would
    log(f"the public log has {leaves} leaves")
    seconds = time.perf_counter() - started
    return Bench(
        deep=deep, flat=flat, feed_story=feed_story or flat,
        writes=Development.objects.get(story=writes), author=bench_author(),
        deep_versions=size.versions, size=size, read_repeat=size.read_repeat,
        write_repeat=size.write_repeat,
        generated_in_s=round(seconds, 1),
    )

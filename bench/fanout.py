"""6. Digest fan-out: many subscriptions over few filter sets, one window of revisions.

The window's revisions are written through the services (one development edit
each); the subscriptions are bulk-created rows (subscribing is not what is
measured). `digests_run` is timed at two sizes over the same window: the window
builds (digests.builder.build_window, timed by wrapping it) should cost the
same at 10,000 subscriptions as at 100, because WindowCache builds each filter
set once. Sending goes through `digests_deliver` (one SMTP connection per
batch) to aiosmtpd in its own process.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess  # noqa: S404 (runs aiosmtpd, fixed arguments)
import sys
import time
from collections.abc import Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from digests import builder, delivery, services
from digests.models import Digest, Subscription
from events import services as event_services
from events.models import Development, Story
from record.models import Revision
from record.selectors import latest_revision_id

from .generate import KINDS, _development_fields, bench_author
from .measure import Result, Side

STORIES = 5
DEVELOPMENTS_PER_STORY = 10
KIND_FILTERS = [[], [KINDS[0]], [KINDS[3]], [KINDS[5]]]  # x 5 stories = 20 filter sets
SEND_BATCH = 50  # digests.tasks.BATCH: one SMTP connection per batch
LOCATIONS = ["Stepanakert", "Shusha", "Lachin corridor", "Agdam"]


def _window(revisions: int) -> tuple[int, int, list[Story]]:
    """Stories and developments, then `revisions` one-item edits: the window (after, upto]."""
    author = bench_author()
    stories = []
    for s in range(STORIES):
        slug = f"bench-digest-{s}"
        story = Story.objects.filter(slug=slug).first() or event_services.story_create(
            author=author, message="Digest story", slug=slug, title=f"Digest story {s}", summary="-")
        stories.append(story)
        for i in range(DEVELOPMENTS_PER_STORY - story.developments.count()):
            event_services.development_create(author=author, story=story, message="New",
                                              **_development_fields(i, 1))
    after = latest_revision_id()
    developments = list(Development.objects.filter(story__in=stories).order_by("id"))
    for n in range(revisions):
        i = n % len(developments)
        development = developments[i]
        change = ({"location": LOCATIONS[(n // len(developments)) % len(LOCATIONS)]} if n % 2
                  else {"summary": f"{development.summary.split(' (')[0]} (update {n})"})
        developments[i] = event_services.development_update(
            author=author, development=development, base_version=development.version,
            message=f"Window edit {n}", changes=change,
        )
    return after, latest_revision_id(), stories


def _subscribe(count: int, frequency: str, cursor: int, stories: list[Story]) -> None:
    now = timezone.now()
    created = Subscription.objects.bulk_create([
        Subscription(channel=Subscription.Channel.EMAIL, email=f"reader{n}.{frequency}@example.org",
                     frequency=frequency, kinds=KIND_FILTERS[(n // STORIES) % len(KIND_FILTERS)],
                     confirmed_at=now, active=True, cursor=cursor)
        for n in range(count)
    ], batch_size=2000)
    Subscription.stories.through.objects.bulk_create([
        Subscription.stories.through(subscription_id=sub.pk, story_id=stories[n % STORIES].pk)
        for n, sub in enumerate(created)
    ], batch_size=5000)


@contextlib.contextmanager
def _timed_builds() -> Iterator[list[float]]:
    seconds: list[float] = []
    original = builder.build_window

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    builder.build_window = timed
    try:
        yield seconds
    finally:
        builder.build_window = original


def _run(frequency: str, upto: int) -> dict:
    with _timed_builds() as builds, CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        digests = services.digests_run(frequency, upto=upto)
        total = time.perf_counter() - started
    return {"digests": len(digests), "builds": len(builds), "build_ms": round(sum(builds) * 1000, 1),
            "run_ms": round(total * 1000, 1), "queries": len(queries.captured_queries),
            "ids": [d.pk for d in digests]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _smtp_sink() -> Iterator[int]:
    """aiosmtpd in its own process (so it does not share the sender's interpreter), discarding mail."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
         "-l", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("aiosmtpd did not start")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _send(digest_ids: list[int]) -> dict:
    with _smtp_sink() as port, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    ):
        started = time.perf_counter()
        failed = []
        for start in range(0, len(digest_ids), SEND_BATCH):  # as digests.queue.enqueue_delivery
            failed += delivery.digests_deliver(digest_ids[start:start + SEND_BATCH])
        seconds = time.perf_counter() - started
    sent = Digest.objects.filter(pk__in=digest_ids, state=Digest.State.SENT).count()
    return {"sent": sent, "failed": len(failed), "seconds": round(seconds, 2)}


def digest_fanout(bench) -> list[Result]:
    """6. Window builds at many subscriptions vs few; sending to a local SMTP server."""
    size = bench.size
    after, upto, stories = _window(size.digest_window)
    _subscribe(size.digest_few, Subscription.Frequency.WEEKLY, after, stories)
    _subscribe(size.digest_many, Subscription.Frequency.DAILY, after, stories)
    few = _run(Subscription.Frequency.WEEKLY, upto)
    many = _run(Subscription.Frequency.DAILY, upto)
    window = {"revisions": Revision.objects.filter(id__gt=after, id__lte=upto).count(),
              "filter_sets": STORIES * len(KIND_FILTERS)}
    build = Result(
        name="digest_build", title="Digest fan-out: window builds at many subscriptions vs few",
        target=1.5, ratio=many["build_ms"] / few["build_ms"],
        case=Side(f"{size.digest_many} subscriptions, {many['builds']} builds", many["build_ms"],
                  many["queries"]),
        floor=Side(f"{size.digest_few} subscriptions, {few['builds']} builds", few["build_ms"],
                   few["queries"]),
        details={**window, "digests_run_ms": {"many": many["run_ms"], "few": few["run_ms"]},
                 "per_subscription_ms": round(many["run_ms"] / size.digest_many, 2),
                 "digests_created": {"many": many["digests"], "few": few["digests"]}},
    )
    sample = many["ids"][:size.digest_send]
    sending = _send(sample)
    rate = sending["sent"] / sending["seconds"] if sending["seconds"] else 0.0
    send = Result(
        name="digest_send", title="Digest sending to aiosmtpd, one connection per batch of 50",
        target=200.0, at_least=True, ratio=rate, unit="/s",
        case=Side(f"{sending['sent']} of {len(sample)} digests sent", round(
            1000 * sending["seconds"] / max(1, sending["sent"]), 3)),
        details=sending,
    )
    if sending["failed"] or sending["sent"] != len(sample):
        send.note = "some digests were not sent: the target does not hold"
        send.ratio = 0.0
    return [build, send]

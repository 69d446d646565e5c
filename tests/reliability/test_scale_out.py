"""Two of every tier, one of each killed mid-run (SIGKILL): nothing is lost, nothing comes twice.

Two gunicorn web nodes behind two Varnish (the shipped VCL's director over
both), two Pushpins that both get every publish, two Celery workers and a beat
on Redis (tests/reliability/cluster.py). Readers stream one story from both
Pushpins; two editors write it through both web nodes with API tokens. A
third of the way in one web node is killed, half way one worker, two thirds in
one Pushpin. Then:

- every reader has every revision of the story exactly once and in order (a
  reader of the killed Pushpin reconnects to the other with Last-Event-ID);
- every immediate digest, email (real SMTP) and webhook (a real HTTP
  receiver), is delivered once: the subscription's digests tile its
  revisions with no gap and no overlap, and each arrives under one id;
- both Varnish serve every edit within the freshness target (1 s), but for
  at most one edit whose purge the killed worker held: Redis hands it to the
  other worker after the visibility timeout (4 s here, an hour by default).

Run by `make test-scale` (`-m scale`); it prints what was delivered.
"""

from __future__ import annotations

import statistics
import time

import pytest
import requests
from rest_framework.authtoken.models import Token

from digests.models import Digest, Subscription
from events.selectors import story_revisions
from record.models import Revision
from tests.digests.helpers import make_subscription
from tests.digests.webhook_support import Receiver, make_webhook_subscription
from tests.factories import make_development, make_story, make_user
from tests.reliability.cluster import Cluster, Stream, kill_pushpin
from tests.smtp import running_smtp
from tests.waiting import wait_for

pytestmark = [pytest.mark.scale, pytest.mark.fault, pytest.mark.worker,
              pytest.mark.django_db(transaction=True)]

EDITS = 24
READERS_PER_PUSHPIN = 3
FRESHNESS_TARGET = 1.0  # seconds, commit -> served by the edge (docs/benchmarks.md edge_freshness)
REDELIVERY = 4 + 1 + 2.0  # visibility timeout + restore interval + a loaded machine's slack


class Editor:
    """An editor writing one development through the API, on a node of the cluster."""

    def __init__(self, development) -> None:
        self.id = development.id
        self.token = Token.objects.create(user=make_user(is_staff=True, is_superuser=True)).key

    def edit(self, nodes: list[str], title: str) -> None:
        """PATCH the title through the first node that answers (a dead one refuses the connection)."""
        for base in nodes:
            url = f"{base}/api/developments/{self.id}/"
            try:
                etag = requests.get(url, timeout=10).headers["ETag"]
                response = requests.patch(
                    url, json={"title": title, "message": "Latest figure", "kind": "update"},
                    headers={"Authorization": f"Token {self.token}", "If-Match": etag}, timeout=10)
            except requests.ConnectionError:
                continue
            assert response.status_code == 200, response.text
            return
        raise AssertionError(f"no web node took the edit among {nodes}")


def _taken_soon(broker, within: float = 3.0) -> int:
    """How many tasks the workers hold, polled until some are (or `within` passes: they were quick)."""
    deadline = time.monotonic() + within
    while (taken := broker.taken()) == 0 and time.monotonic() < deadline:
        time.sleep(0.002)
    return taken


def _served_everywhere(varnishes, path: str, title: str) -> bool:
    return all(title in requests.get(v.url + path, timeout=10).text for v in varnishes)


def _tiles(subscription: Subscription, start: int, end: int) -> list[Digest]:
    """The subscription's digests, if they are all sent and cover (start, end] with no gap or overlap."""
    digests = list(subscription.digests.order_by("upto"))
    if not digests or any(d.state != Digest.State.SENT for d in digests):
        return []
    edges = [start] + [d.upto for d in digests]
    if [d.after for d in digests] != edges[:-1] or digests[-1].upto < end:
        return []
    return digests


def test_two_of_every_tier_survive_a_killed_web_node_worker_and_pushpin(broker, settings, capsys):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the receiver is on loopback, as the nodes allow
    story = make_story(slug="scale-out")
    developments = [make_development(story=story, title="Shelling reported") for _ in range(2)]
    editors = [Editor(development) for development in developments]
    start = Revision.objects.latest("id").id
    email = make_subscription(story, email="reader@example.org", frequency="immediate")
    with running_smtp() as (mailbox, smtp_port), Receiver() as hooks:
        webhook, _ = make_webhook_subscription(hooks.url, stories=[story])
        email_from, webhook_from = email.cursor, webhook.cursor
        cluster = Cluster(smtp_port=smtp_port).start()
        streams: list[Stream] = []
        try:
            pushpins = [p.url for p in cluster.pushpins]
            streams = [Stream(base, f"/stories/{story.slug}/live", str(start))
                       for base in pushpins for _ in range(READERS_PER_PUSHPIN)]
            nodes = [n.url for n in cluster.web]
            freshness = []
            killed = {}
            for n in range(EDITS):
                title = f"Shelling report {n}"
                # Editors take turns, each on "their" node while it lives.
                editors[n % 2].edit(nodes[n % len(nodes):] + nodes[:n % len(nodes)], title)
                committed = time.monotonic()
                # Each kill lands just after a commit, while its tasks are queued or running.
                if n == EDITS // 3:
                    cluster.web[0].kill()
                    killed["web node"] = nodes.pop(0)
                if n == EDITS // 2:
                    in_flight = _taken_soon(broker)
                    killed["worker"] = f"1 of 2, {in_flight} task(s) taken by the workers at the kill"
                    cluster.workers[0].kill()
                if n == 2 * EDITS // 3:
                    kill_pushpin(cluster.pushpins[0])
                    killed["pushpin"] = pushpins.pop(0)
                wait_for(lambda t=title: _served_everywhere(cluster.varnishes, f"/stories/{story.slug}/", t),
                         timeout=REDELIVERY + 5, interval=0.02)
                freshness.append(time.monotonic() - committed)
                for stream in streams:
                    stream.keep_up(pushpins)

            expected = list(story_revisions(story).filter(id__gt=start).order_by("id")
                            .values_list("id", flat=True))
            assert len(expected) == EDITS

            def every_reader_has_everything():
                for stream in streams:
                    stream.keep_up(pushpins)
                return all(len(stream.ids) >= len(expected) for stream in streams)

            wait_for(every_reader_has_everything, timeout=30, interval=0.1)
            end = expected[-1]
            email_digests = wait_for(lambda: _tiles(email, email_from, end), timeout=45, interval=0.2)
            webhook_digests = wait_for(lambda: _tiles(webhook, webhook_from, end), timeout=45, interval=0.2)
            wait_for(lambda: len({m["Message-ID"] for m in mailbox.messages}) >= len(email_digests),
                     timeout=15)
            wait_for(lambda: len(set(hooks.webhook_ids())) >= len(webhook_digests), timeout=15)
        finally:
            for stream in streams:
                stream.close()
            cluster.stop()

    for stream in streams:
        assert stream.ids == expected  # every revision, once, in order
    reconnected = [s.reconnects for s in streams]
    assert reconnected == [1] * READERS_PER_PUSHPIN + [0] * READERS_PER_PUSHPIN

    message_ids = [m["Message-ID"] for m in mailbox.messages]
    assert sorted(set(message_ids)) == sorted(f"<digest-{d.message_id}@localhost>" for d in email_digests)
    webhook_ids = hooks.webhook_ids()
    assert sorted(set(webhook_ids)) == sorted(str(d.message_id) for d in webhook_digests)

    late = [round(s, 2) for s in freshness if s > FRESHNESS_TARGET]
    assert len(late) <= 1 and max(freshness) <= REDELIVERY, freshness

    with capsys.disabled():
        print(f"\nscale-out: killed {killed}"
              f"\n  {len(streams)} SSE readers x {len(expected)} revisions: "
              f"{sum(len(s.ids) for s in streams)} events delivered, each once and in order; "
              f"{sum(reconnected)} readers reconnected to the surviving Pushpin with Last-Event-ID"
              f"\n  immediate email digests: {len(email_digests)} sent, {len(message_ids)} received "
              f"({len(set(message_ids))} distinct Message-IDs)"
              f"\n  webhook digests: {len(webhook_digests)} sent, {len(webhook_ids)} received "
              f"({len(set(webhook_ids))} distinct webhook-ids)"
              f"\n  edge freshness over {EDITS} edits on both Varnish: p50 "
              f"{statistics.median(freshness) * 1000:.0f} ms, max {max(freshness) * 1000:.0f} ms, "
              f"late (> {FRESHNESS_TARGET:.0f} s): {late}")

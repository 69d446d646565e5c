"""Sixteen editors edit one development at once through the API; a reader follows the change feed.

Optimistic concurrency under load: each editor reads the development, edits
it with `If-Match: <the ETag it read>`, and goes again, for a few seconds.
Every accepted edit (200) must be exactly one version in the history, every
refused one a 412 that wrote nothing, the version numbers contiguous, and the
revisions in commit order, so that a reader paging the change feed with
`after=<last id>` while the edits commit sees every one of them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests
from rest_framework.authtoken.models import Token

from events.models import Development
from record.selectors import latest_revision_id
from tests.factories import make_development, make_editor

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

EDITORS = 16
EDITS_PER_EDITOR = 8
SECONDS = 4.0
TIMEOUT = 30  # per request: a hung server fails the test instead of hanging it


@dataclass(frozen=True)
class Attempt:
    summary: str
    status: int
    version: int | None  # the version an accepted edit became


def _edit_repeatedly(url: str, token: str, number: int, deadline: float, out: list[Attempt]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    for edit in range(EDITS_PER_EDITOR):
        if time.monotonic() > deadline:
            return
        etag = session.get(url, timeout=TIMEOUT).headers["ETag"]
        summary = f"Editor {number}, edit {edit}: casualty figures revised."
        response = session.patch(url, json={"summary": summary, "message": f"Edit {number}.{edit}"},
                                 headers={"If-Match": etag}, timeout=TIMEOUT)
        version = response.json()["version"] if response.status_code == 200 else None
        out.append(Attempt(summary, response.status_code, version))


def _follow_change_feed(base: str, after: int, writers_done: threading.Event, seen: list[dict]) -> None:
    """Page `after=<last_id>` while the editors write, then until the feed is drained."""
    session = requests.Session()
    while True:
        finished = writers_done.is_set()  # read before the page: a drained page after this is final
        page = session.get(f"{base}/api/changes/", params={"after": after, "limit": 7}, timeout=TIMEOUT)
        page.raise_for_status()
        body = page.json()
        seen.extend(body["results"])
        after = body["last_id"]
        if finished and not body["has_more"]:
            return


def test_concurrent_editors_lose_no_edit_and_the_change_feed_sees_every_revision(live_server):
    development = make_development(summary="Initial report.")
    tokens = [Token.objects.create(user=make_editor()).key for _ in range(EDITORS)]
    start = latest_revision_id()
    url = f"{live_server.url}/api/developments/{development.pk}/"
    attempts: list[Attempt] = []
    seen: list[dict] = []
    writers_done = threading.Event()
    deadline = time.monotonic() + SECONDS

    reader = threading.Thread(target=_follow_change_feed, args=(live_server.url, start, writers_done, seen))
    editors = [threading.Thread(target=_edit_repeatedly, args=(url, token, n, deadline, attempts))
               for n, token in enumerate(tokens)]
    reader.start()
    for thread in editors:
        thread.start()
    for thread in editors:
        thread.join(timeout=120)
    writers_done.set()
    reader.join(timeout=60)
    assert not reader.is_alive() and not any(t.is_alive() for t in editors)

    accepted = [a for a in attempts if a.status == 200]
    refused = [a for a in attempts if a.status != 200]
    print(f"\n{len(attempts)} edits by {EDITORS} editors: {len(accepted)} accepted, {len(refused)} refused")
    assert {a.status for a in refused} <= {412}
    assert accepted and refused  # there was contention, and edits still got through

    history = list(Development.objects.get(pk=development.pk).history.order_by("version")
                   .values_list("version", "summary", "revision_id"))
    # Contiguous versions, one per accepted edit, in commit (revision id) order.
    assert [version for version, _, _ in history] == list(range(1, len(accepted) + 2))
    revision_ids = [revision_id for _, _, revision_id in history]
    assert revision_ids == sorted(revision_ids) and len(set(revision_ids)) == len(revision_ids)
    # Each accepted edit is exactly the version it was told it became; no refused edit is anywhere.
    assert sorted((a.version, a.summary) for a in accepted) == [(v, s) for v, s, _ in history[1:]]
    assert not {a.summary for a in refused} & {s for _, s, _ in history}

    # The reader, paging while the edits committed, saw every revision exactly once, in order.
    assert [entry["id"] for entry in seen] == revision_ids[1:]
    assert [item["version"] for entry in seen for item in entry["items"]
            if item["type"] == "development"] == list(range(2, len(accepted) + 2))

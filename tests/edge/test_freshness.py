"""Freshness through a real Varnish under readers: every edit reaches readers within 2 s, edit after edit.

A purge at commit does not by itself keep the old page out: a backend fetch
that began before the commit (or a render that used a value read before it)
can finish after the purge and be stored for s-maxage. Readers here keep
fetches in flight the whole time, as in `make bench`'s edge_freshness.
"""

from __future__ import annotations

import threading
import time

from events import services
from pages import selectors as page_selectors
from tests.edge.fetching import fetch
from tests.factories import make_development, make_user
from tests.waiting import wait_for

EDITS = 50
READERS = 4


def _read_until(stop: threading.Event, url: str) -> None:
    while not stop.is_set():
        fetch(url)


def test_fifty_edits_in_a_row_each_become_visible_through_the_edge_within_two_seconds(edge):
    development = make_development()
    author = make_user()
    url = f"{edge.url}/stories/{development.story.slug}/"
    stop = threading.Event()
    readers = [threading.Thread(target=_read_until, args=(stop, url), daemon=True) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    late = []
    try:
        for n in range(EDITS):
            development.refresh_from_db()
            marker = f"Freshness probe {n} {time.time_ns()}"
            services.development_update(author=author, development=development,
                                        base_version=development.version, message="Freshness probe",
                                        minor=True, changes={"summary": marker})
            try:
                wait_for(lambda marker=marker: marker in fetch(url).body, timeout=2, interval=0.01)
            except AssertionError:
                late.append(n)
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
    assert late == []


def test_a_render_that_read_before_an_edit_and_finished_after_its_purge_is_not_kept(edge, monkeypatch):
    development = make_development(summary="Before the edit")
    url = f"{edge.url}/stories/{development.story.slug}/"
    read, release = threading.Event(), threading.Event()
    story_page = page_selectors.story_page

    def slow_story_page(*args, **kwargs):
        page = story_page(*args, **kwargs)  # read before the commit...
        if not release.is_set():
            read.set()
            release.wait(10)  # ...and delivered to the edge after its purge
        return page

    monkeypatch.setattr(page_selectors, "story_page", slow_story_page)
    late_reader = threading.Thread(target=fetch, args=(url,), daemon=True)
    late_reader.start()
    assert read.wait(10)
    services.development_update(author=make_user(), development=development, base_version=development.version,
                                message="Summary", minor=True, changes={"summary": "After the edit"})
    release.set()
    late_reader.join(10)
    wait_for(lambda: "After the edit" in fetch(url).body, timeout=2, interval=0.01)

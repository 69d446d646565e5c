"""Measures of public surfaces by URL, through the whole Django stack (in process, no network).

A surface that is not built yet (404) reports "not available" instead of failing,
so these measures light up as the pages, the change feed and the feeds land.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.test import Client

from events.models import Revision

from .measure import Result, compare, unavailable
from .setup import Bench

_client = Client(HTTP_HOST="127.0.0.1")


def _get(url: str) -> Callable[[], None]:
    def fetch() -> None:
        response = _client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    return fetch


def _status(url: str) -> int:
    # A missing page is an expected answer here, not an error worth a log line.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)
    try:
        return _client.get(url).status_code
    finally:
        request_log.setLevel(level)


def _url_measure(name: str, title: str, *, target: float, bench: Bench, case: tuple[str, str],
                 floor: tuple[str, str], **details) -> Result:
    for _, url in (case, floor):
        status = _status(url)
        if status != 200:
            return unavailable(name, title, target, f"{url} answered {status}: not available yet")
    return compare(name, title, target=target, repeat=bench.read_repeat,
                   case=(case[0], _get(case[1])), floor=(floor[0], _get(floor[1])),
                   case_url=case[1], floor_url=floor[1], **details)


def page_depth_timeline(bench: Bench) -> Result:
    return _url_measure(
        "page_depth_timeline", "Depth independence: timeline page, deep vs shallow history",
        target=1.3, bench=bench, case=("deep", f"/stories/{bench.deep.slug}/"),
        floor=("shallow", f"/stories/{bench.flat.slug}/"),
    )


def page_depth_development(bench: Bench) -> Result:
    deep, flat = bench.middle_development(bench.deep), bench.middle_development(bench.flat)
    return _url_measure(
        "page_depth_development", "Depth independence: development page, deep vs shallow history",
        target=1.3, bench=bench,
        case=("deep", f"/stories/{bench.deep.slug}/developments/{deep}/"),
        floor=("shallow", f"/stories/{bench.flat.slug}/developments/{flat}/"),
    )


def page_time_travel(bench: Bench) -> Result:
    ids = list(Revision.objects.filter(story=bench.deep).order_by("id").values_list("id", flat=True))
    middle = Revision.objects.get(id=ids[len(ids) // 2]).created_at
    return _url_measure(
        "page_time_travel", "Time travel: story page ?as_of= a mid-point vs current",
        target=2.0, bench=bench,
        case=("as of the mid-point", f"/stories/{bench.deep.slug}/?as_of={middle.isoformat()}"
              .replace("+", "%2B")),
        floor=("current", f"/stories/{bench.deep.slug}/"),
    )


def change_feed_depth(bench: Bench) -> Result:
    """4. Cursor depth on the change feed (at this database's revision count, not 100,000)."""
    ids = list(Revision.objects.order_by("id").values_list("id", flat=True))
    near_start, near_end = ids[len(ids) // 20], ids[max(0, len(ids) - len(ids) // 20 - 1)]
    return _url_measure(
        "change_feed_depth", "Cursor depth: /api/changes/?after= near the end vs near the start",
        target=1.2, bench=bench,
        case=("after, near the end", f"/api/changes/?after={near_end}"),
        floor=("after, near the start", f"/api/changes/?after={near_start}"),
        revisions=len(ids),
    )


MEASURES = [page_depth_timeline, page_depth_development, page_time_travel, change_feed_depth]

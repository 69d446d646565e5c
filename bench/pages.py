"""Measures of public surfaces by URL, through the whole Django stack (in process, no network).

A surface that answers anything but 200 reports "not available" with the status.
"""

from __future__ import annotations

import logging

from events.selectors import story_revisions
from record.models import Revision

from .http import client as _client
from .http import uncached_get
from .measure import Result, compare, unavailable
from .setup import Bench


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
                   case=(case[0], uncached_get(case[1])), floor=(floor[0], uncached_get(floor[1])),
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
    ids = list(story_revisions(bench.deep).order_by("id").values_list("id", flat=True))
    middle = Revision.objects.get(id=ids[len(ids) // 2]).created_at
    return _url_measure(
        "page_time_travel", "Time travel: story page ?as_of= a mid-point vs current",
        target=2.0, bench=bench,
        case=("as of the mid-point", f"/stories/{bench.deep.slug}/?as_of={middle.isoformat()}"
              .replace("+", "%2B")),
        floor=("current", f"/stories/{bench.deep.slug}/"),
    )


def page_depth_changes(bench: Bench) -> Result:
    """2. A change-feed page of claim updates at the deepest round vs the first round of updates.

    The feed shows past revisions, so "the same current state" does not apply:
    the two pages hold the same claims, edited the same way, with 10 versions
    behind each (last round) vs 1 (round 2: each diff against the creation).
    """
    def after(round_: int) -> int:
        first = (story_revisions(bench.deep).filter(message=f"Round {round_} of verification")
                 .order_by("id").values_list("id", flat=True).first())
        return first - 1

    limit = 5
    url = f"/api/changes/?story={bench.deep.slug}&limit={limit}&after="
    return _url_measure(
        "page_depth_changes", "Depth independence: change-feed page, deep vs shallow history",
        target=1.3, bench=bench,
        case=(f"round {bench.deep_versions} updates", f"{url}{after(bench.deep_versions)}"),
        floor=("round 2 updates", f"{url}{after(2)}"),
        revisions_per_page=limit, items_per_revision=bench.size.per_revision,
    )


MEASURES = [page_depth_timeline, page_depth_development, page_depth_changes, page_time_travel]

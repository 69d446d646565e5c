"""Memento (docs/memento.md): a TimeGate's redirect whatever the depth, a TimeMap page whatever its size.

`timegate_depth`: `/stories/<slug>/` with Accept-Datetime (the 302 to the
Memento, with its first/last/prev/next links) on the deep story vs the flat
one, each at the mid-point of its own history. `timemap_page`: one link-format TimeMap
page of 1,000 Mementos vs one of 10, both in the middle of the log story's
history (tens of thousands of revisions): the ratio is of their query counts
(the target: the same), the times are reported beside it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.test import override_settings

from events.selectors import story_revisions
from memento.http import http_datetime

from .http import client
from .log import log_story
from .measure import Result, compare, interleaved, unavailable
from .setup import Bench


def _get(url: str, status: int, **headers) -> Callable[[], None]:
    def fetch() -> None:
        cache.clear()
        response = client.get(url, headers=headers)
        if response.status_code != status:
            raise RuntimeError(f"{url} answered {response.status_code}, not {status}")
    return fetch


def _with_page_size(size: int, fetch: Callable[[], None]) -> Callable[[], None]:
    def fetch_with() -> None:
        with override_settings(MEMENTO_TIMEMAP_PAGE_SIZE=size):
            fetch()
    return fetch_with


def _mid_point(story) -> tuple[str, int]:
    """An Accept-Datetime in the middle of the story's history, and how many revisions it has."""
    times = list(story_revisions(story).order_by("id").values_list("created_at", flat=True))
    return http_datetime(times[len(times) // 2]), len(times)


def timegate_depth(bench: Bench) -> Result:
    deep_asked, deep_revisions = _mid_point(bench.deep)
    flat_asked, flat_revisions = _mid_point(bench.flat)
    result = compare(
        "timegate_depth", "Memento: TimeGate redirect, deep vs flat story", target=1.2,
        repeat=bench.read_repeat,
        case=("deep", _get(f"/stories/{bench.deep.slug}/", 302, **{"accept-datetime": deep_asked})),
        floor=("flat", _get(f"/stories/{bench.flat.slug}/", 302, **{"accept-datetime": flat_asked})),
        deep_revisions=deep_revisions, flat_revisions=flat_revisions,
    )
    # Beside it, the log story (tens of thousands of revisions) against the flat one.
    log_asked, log_revisions = _mid_point(log_story())
    log_ms, flat_ms = interleaved(
        _get(f"/stories/{log_story().slug}/", 302, **{"accept-datetime": log_asked}),
        _get(f"/stories/{bench.flat.slug}/", 302, **{"accept-datetime": flat_asked}),
        repeat=bench.read_repeat)
    result.details.update(log_story_revisions=log_revisions, log_story_ratio=round(log_ms / flat_ms, 2))
    return result


def timemap_page(bench: Bench) -> Result:
    name, title = "timemap_page", "Memento: a TimeMap page of 1,000 Mementos vs 10 (queries)"
    story = log_story()
    ids = list(story_revisions(story).order_by("id").values_list("id", flat=True))
    if len(ids) < 2_100:
        return unavailable(name, title, 1.0, f"the log story has {len(ids)} revisions: too few")
    url = f"/timemap/link/stories/{story.slug}/?after={ids[len(ids) // 2]}"
    result = compare(name, title, target=1.0, repeat=bench.read_repeat,
                     case=("1,000 Mementos", _with_page_size(1000, _get(url, 200))),
                     floor=("10 Mementos", _with_page_size(10, _get(url, 200))),
                     history=len(ids))
    result.details["time_ratio"] = round(result.ratio, 2) if result.ratio else None
    result.ratio = result.case.queries / result.floor.queries
    return result


MEASURES = [timegate_depth, timemap_page]

"""The measure framework: named measures that compare a case with its floor, side by side.

Absolute times drift on shared machines, so every figure is a ratio of two
timings taken interleaved in the same run. A measure returns a Result; the
runner prints them as a table and writes them to var/bench/report.json.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Side:
    """One side of a comparison: what was timed, its median time and its query count."""

    label: str
    ms: float
    queries: int | None = None


@dataclass
class Result:
    name: str
    title: str
    target: float
    ratio: float | None = None
    at_least: bool = False  # throughput targets: the ratio must reach the target
    unit: str = "x"  # "x": a ratio of two sides; otherwise an absolute rate (e.g. "/s")
    case: Side | None = None
    floor: Side | None = None
    available: bool = True
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def holds(self) -> bool | None:
        if self.ratio is None:
            return None
        return self.ratio >= self.target if self.at_least else self.ratio <= self.target

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["holds"] = self.holds
        data["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        return data


def unavailable(name: str, title: str, target: float, note: str, *, at_least: bool = False) -> Result:
    return Result(name=name, title=title, target=target, at_least=at_least, available=False, note=note)


def count_queries(fn: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def interleaved(case: Callable[[], Any], floor: Callable[[], Any], *, repeat: int,
                warmup: int = 2) -> tuple[float, float]:
    """Median milliseconds of `case` and of `floor`, timed alternately so drift hits both."""
    for _ in range(warmup):
        case()
        floor()
    case_times, floor_times = [], []
    for _ in range(repeat):
        for fn, times in ((case, case_times), (floor, floor_times)):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(case_times), statistics.median(floor_times)


def compare(name: str, title: str, *, target: float, case: tuple[str, Callable[[], Any]],
            floor: tuple[str, Callable[[], Any]], repeat: int, **details: Any) -> Result:
    """Time `case` against `floor` and count each one's queries."""
    (case_label, case_fn), (floor_label, floor_fn) = case, floor
    case_q, floor_q = count_queries(case_fn), count_queries(floor_fn)
    case_ms, floor_ms = interleaved(case_fn, floor_fn, repeat=repeat)
    return Result(
        name=name, title=title, target=target, ratio=case_ms / floor_ms if floor_ms else None,
        case=Side(case_label, round(case_ms, 3), case_q),
        floor=Side(floor_label, round(floor_ms, 3), floor_q), details=details,
    )

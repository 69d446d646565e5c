"""Run the measures, print the table, write var/bench/report.json (a list of measures)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from . import archive as archive_measures
from . import drafts as draft_measures
from . import edge as edge_measures
from . import fanout, import_memory, imports, pages, store, tiles, tlog
from . import live as live_measures
from . import load as load_measures
from . import log as log_measures
from . import memento as memento_measures
from . import search as search_measures
from . import witnessing as witness_measures
from .measure import Result, unavailable
from .setup import SIZES, prepare

ALL_MEASURES: list[Callable] = [*store.MEASURES, *pages.MEASURES, *log_measures.MEASURES,
                                *tlog.MEASURES, *tiles.MEASURES, *draft_measures.MEASURES,
                                *archive_measures.MEASURES, *search_measures.MEASURES,
                                *witness_measures.MEASURES, *memento_measures.MEASURES,
                                import_memory.import_memory, *imports.MEASURES, fanout.digest_fanout]


def _fmt_side(side) -> str:
    if side is None:
        return ""
    queries = "?" if side.queries is None else side.queries
    return f"{side.ms:9.2f} ms {queries:>4} q  {side.label}"


def _fmt_ratio(result: Result) -> str:
    if result.ratio is None:
        return "n/a"
    return f"{result.ratio:.2f}x" if result.unit == "x" else f"{result.ratio:.0f}{result.unit}"


def _fmt_target(result: Result) -> str:
    return f"{result.target:.2f}x" if result.unit == "x" else f"{result.target:.0f}{result.unit}"


def table(results: Iterable[Result]) -> str:
    lines = [f"{'measure':<24} {'ratio':>7} {'target':>9} {'holds':>6}  case / floor (median, queries)"]
    lines.append("-" * 110)
    for r in results:
        sign = ">=" if r.at_least else "<="
        ratio = _fmt_ratio(r)
        holds = {True: "yes", False: "NO", None: "-"}[r.holds]
        lines.append(f"{r.name:<24} {ratio:>7} {sign}{_fmt_target(r):>7} {holds:>6}  {_fmt_side(r.case)}")
        if r.floor:
            lines.append(f"{'':<51}{_fmt_side(r.floor)}")
        extra = {k: v for k, v in r.details.items() if not k.endswith("_url")}
        if extra:
            lines.append(f"{'':<51}{extra}")
        if r.note:
            lines.append(f"{'':<51}{r.note}")
    return "\n".join(lines)


def run(size_name: str = "full", *, out: Path | None = None, load: bool = True,
        only: Iterable[str] | None = None, log=print) -> list[Result]:
    """All measures, or `only` those named; `load` adds the gunicorn + wrk ones (they serve this database
    over HTTP)."""
    size = SIZES[size_name]
    measures = ALL_MEASURES
    if only:
        measures = [measure for measure in ALL_MEASURES if measure.__name__ in set(only)]
        unknown = set(only) - {measure.__name__ for measure in measures}
        if unknown:
            raise ValueError(f"No measure named {', '.join(sorted(unknown))}.")
    log(f"Benchmarks at size {size_name!r}: {size}")
    started = time.perf_counter()
    bench = prepare(size, log=log)
    log(f"data ready in {bench.generated_in_s} s")
    results = []
    for measure in measures:
        t0 = time.perf_counter()
        try:
            measured = measure(bench)
        except Exception as error:  # noqa: BLE001 (one broken surface must not hide the others)
            measured = unavailable(measure.__name__, measure.__doc__ or measure.__name__, 0.0,
                                   f"failed: {error!r}")
        for result in measured if isinstance(measured, list) else [measured]:
            log(f"  {result.name}: {_fmt_ratio(result)} ({time.perf_counter() - t0:.1f} s)")
            results.append(result)
    if load:
        t0 = time.perf_counter()
        try:
            results += load_measures.load_measures(bench)
        except Exception as error:  # noqa: BLE001
            results += [unavailable(name, title, target, f"failed: {error!r}", at_least=True)
                        for name, title, target, *_ in load_measures.LOAD]
        log(f"  load measures ({time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        try:
            results.append(live_measures.live_fanout(bench))
        except Exception as error:  # noqa: BLE001
            results.append(unavailable("live_fanout", live_measures.TITLE, 1000, f"failed: {error!r}"))
        log(f"  live_fanout ({time.perf_counter() - t0:.1f} s)")
        t0 = time.perf_counter()
        try:
            results += edge_measures.edge_measures(bench)
        except Exception as error:  # noqa: BLE001
            results += [unavailable(name, title, target, f"failed: {error!r}", at_least=True)
                        for name, title, target in edge_measures.NAMES]
        log(f"  edge measures ({time.perf_counter() - t0:.1f} s)")
        try:
            results.append(tiles.tile_serve(bench))
        except Exception as error:  # noqa: BLE001
            results.append(unavailable("tile_serve", tiles.TILE_SERVE, 0.8, f"failed: {error!r}",
                                       at_least=True))
    log("")
    log(table(results))
    out = out or Path(settings.VAR_DIR) / "bench" / "report.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    log(f"\nWrote {out} in {time.perf_counter() - started:.0f} s total "
        f"({os.cpu_count()} CPUs, data generation {bench.generated_in_s} s).")
    return results

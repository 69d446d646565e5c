"""7. The edge: Varnish (the shipped VCL) in front of gunicorn; wrk through it, and freshness.

`edge_page`, `edge_feed`: the demo story page and Atom feed served by Varnish
vs Varnish's own synthetic response (`/__edge_ceiling`, answered in vcl_recv
by a bench-only copy of the VCL) on the same instance: what the cache costs
beyond Varnish itself. Each also reports its ratio to the Django floor view.
`edge_freshness`: while wrk reads the story page through Varnish, an editor
commits revisions; for each, the time from the start of its commit to the
first response through Varnish that shows it.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess  # noqa: S404 (wrk with fixed arguments)
import time
import urllib.request

from django.conf import settings

from devsupport.varnish import Varnish, varnishd
from events import services

from .load import SECONDS, Server, wrk
from .measure import Result, Side, unavailable
from .setup import Bench

CEILING = '    if (req.url == "/__edge_ceiling") {\n        return (synth(200, "ok"));\n    }'
EDITS = 50
NAMES = [
    ("edge_page", "Story page through Varnish vs Varnish's synthetic response", 0.8),
    ("edge_feed", "Atom feed through Varnish vs Varnish's synthetic response", 0.8),
    ("edge_freshness", "Commit to first fresh response through Varnish, p99 (ms)", 1000.0),
]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
        return response.read().decode()


def _through(name: str, title: str, target: float, path: str, varnish: Varnish,
             ceiling: dict, floor: dict) -> Result:
    _get(varnish.url + path)  # warm: the measure is the hit path
    case = wrk(varnish.url + path)
    result = Result(
        name=name, title=title, target=target, at_least=True, ratio=case["rps"] / ceiling["rps"],
        case=Side(f"{path} through Varnish: {case['rps']:.0f} req/s", round(1000 / case["rps"], 3)),
        floor=Side(f"Varnish synthetic: {ceiling['rps']:.0f} req/s", round(1000 / ceiling["rps"], 3)),
        details={"vs_django_floor": round(case["rps"] / floor["rps"], 2), "case": case,
                 "ceiling": ceiling, "django_floor": floor, "seconds": SECONDS, "concurrency": 16},
    )
    if case["non_2xx_3xx"] or case["socket_errors"]:
        result.note, result.ratio = "errors under load: the target does not hold", 0.0
    return result


def _freshness(bench: Bench, varnish: Varnish, path: str) -> Result:
    name, title, target = NAMES[2]
    development = bench.feed_story.developments.order_by("id").first()
    readers = subprocess.Popen(  # noqa: S603 (wrk from PATH, like load.wrk)
        ["wrk", "-t2", "-c16", f"-d{max(SECONDS, 5) * 20}s", varnish.url + path],  # noqa: S607
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    saved = settings.EDGE_PURGE_URLS
    settings.EDGE_PURGE_URLS = [varnish.url]  # tasks run eagerly: the purge is part of the commit
    delays = []
    try:
        for n in range(EDITS):
            development.refresh_from_db()
            marker = f"Freshness probe {n} {time.time_ns()}"
            started = time.perf_counter()
            services.development_update(
                author=bench.author, development=development, base_version=development.version,
                message="Freshness probe", kind="update", minor=True, changes={"summary": marker},
            )
            deadline = started + 10
            while marker not in _get(varnish.url + path):
                if time.perf_counter() > deadline:
                    break
                time.sleep(0.005)  # polling the page: the wait ends on the condition, not this
            delays.append((time.perf_counter() - started) * 1000)
    finally:
        settings.EDGE_PURGE_URLS = saved
        readers.terminate()
        readers.wait(timeout=20)
    delays.sort()
    p50, p99 = statistics.median(delays), delays[min(len(delays) - 1, int(len(delays) * 0.99))]
    return Result(name=name, title=title, target=target, unit="ms", ratio=p99,
                  case=Side(f"p99 over {len(delays)} edits (p50 {p50:.0f} ms)", round(p99, 3)),
                  details={"p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "edits": len(delays),
                           "max_ms": round(delays[-1], 1)})


def edge_measures(bench: Bench) -> list[Result]:
    if not shutil.which("wrk") or varnishd() is None:
        return [unavailable(n, t, g, "wrk or varnishd is not installed (make system-deps)",
                            at_least=n != "edge_freshness") for n, t, g in NAMES]
    page = f"/stories/{bench.feed_story.slug}/"
    server = Server()
    try:
        with Varnish(server.port, extra_recv=CEILING) as varnish:
            floor = wrk(server.base + "/bench/floor/")
            ceiling = wrk(varnish.url + "/__edge_ceiling")
            return [
                _through(*NAMES[0], page, varnish, ceiling, floor),
                _through(*NAMES[1], page + "feed.atom", varnish, ceiling, floor),
                _freshness(bench, varnish, page),
            ]
    finally:
        server.stop()

"""Load: wrk against gunicorn (2 workers) on the public pages and feeds while an editor writes.

A bounded run (a few seconds, 16 connections) over the demo story's pages,
feeds and change feed, with every edit invalidating the page cache. It asserts
no 5xx and no socket errors, and prints the latency percentiles; it never
asserts on timing (the benchmarks do that, `make bench`).
"""

from __future__ import annotations

import json
import subprocess
import threading

import pytest
import requests
from django.db import connection

from events.models import Development
from tests.digests.helpers import revise
from tests.gunicorn import gunicorn as serving

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

DURATION = "5s"
CONNECTIONS = 16
MAX_EDITS = 40

# wrk's Lua: rotate over the paths, count statuses by class in each thread, report once.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local i = 0
function setup(thread) table.insert(threads, thread) end
function init(args) s2, s3, s4, s5 = 0, 0, 0, 0 end
function request()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1 else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local c = {s2 = 0, s3 = 0, s4 = 0, s5 = 0}
  for _, t in ipairs(threads) do
    for k, _ in pairs(c) do c[k] = c[k] + t:get(k) end
  end
  io.write(string.format(
    'RESULT {"requests": %%d, "2xx": %%d, "3xx": %%d, "4xx": %%d, "5xx": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "timeout": %%d, "p50_ms": %%.2f, "p90_ms": %%.2f, "p99_ms": %%.2f, ' ..
    '"max_ms": %%.2f, "rps": %%.1f}\\n',
    summary.requests, c.s2, c.s3, c.s4, c.s5, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
"""


@pytest.fixture
def gunicorn():
    """gunicorn, 2 workers, on a free loopback port, serving this test's database."""
    with serving(workers=2) as base:
        yield base


def _edit_until(stop: threading.Event, developments: list[Development], author, edits: list[int]) -> None:
    try:
        for n in range(MAX_EDITS):
            if stop.is_set():
                return
            development = developments[n % len(developments)]
            revise(development, author, message=f"Load edit {n}", summary=f"{development.summary} ({n})")
            edits.append(n)
    finally:
        connection.close()  # this thread's own connection


def test_pages_and_feeds_under_load_while_an_editor_writes_answer_without_errors(
    gunicorn, demo_story, editor, tmp_path,
):
    slug = demo_story.slug
    developments = list(Development.objects.filter(story=demo_story).order_by("id")[:3])
    paths = [
        f"/stories/{slug}/", f"/stories/{slug}/feed.atom", f"/stories/{slug}/feed.json",
        f"/stories/{slug}/changes/", f"/stories/{slug}/developments/{developments[0].pk}/",
        f"/stories/{slug}/timeline.json", "/api/changes/?after=0", f"/api/developments/?story={slug}",
    ]
    assert {p: requests.get(gunicorn + p, timeout=10).status_code for p in paths} == dict.fromkeys(paths, 200)
    script = tmp_path / "load.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)})

    stop, edits = threading.Event(), []
    writer = threading.Thread(target=_edit_until, args=(stop, developments, editor, edits))
    writer.start()
    try:
        run = subprocess.run(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION, "--timeout", "30s", "-s", str(script),
             gunicorn + "/"], capture_output=True, text=True, timeout=120, check=True,
        )
    finally:
        stop.set()
        writer.join(timeout=60)

    [line] = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(line.removeprefix("RESULT "))
    print(f"\nwrk {CONNECTIONS} connections, {DURATION}, {len(paths)} URLs, {len(edits)} edits meanwhile: "
          f"{result['requests']} requests, {result['rps']} req/s, p50 {result['p50_ms']} ms, "
          f"p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms")
    assert edits, "the editor wrote nothing during the run"
    assert result["requests"] > 0
    assert (result["5xx"], result["4xx"]) == (0, 0)
    assert [result[k] for k in ("connect", "read", "write", "timeout")] == [0, 0, 0, 0]

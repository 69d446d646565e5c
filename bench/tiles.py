"""The log as C2SP tiles: served by the edge, and proofs a reader builds from them.

- tile_serve: a full tile (/log/tile/0/000, immutable) through Varnish with
  the shipped VCL vs Varnish's own synthetic response on the same instance
  (bench/edge.py's ceiling): what serving the log costs beyond Varnish.
- proof_by_tiles: the requests the standalone verifier makes to prove one
  leaf's inclusion from tiles at 100,000 leaves (target: at most 5), and the
  time it takes (in process, tiles fetched, proof built and checked) vs
  fetching the same proof from /api/log/proof/inclusion and checking it.
  The bench log is grown to 100,000 leaves with synthetic revisions
  (devsupport.synthetic_log) inside a transaction rolled back afterwards.
tile_serve runs with the load measures (gunicorn serves the bench database).
"""

from __future__ import annotations

import base64
import contextlib
import json
import shutil
import urllib.request

from django.db import transaction

from devsupport.synthetic_log import grow_log
from devsupport.varnish import Varnish, varnishd
from publiclog import checkpoints
from record.tree import tree_size
from tools import tiles_checks
from tools import verify_log as standalone

from .edge import CEILING
from .http import client
from .load import SECONDS, Server, wrk
from .measure import Result, Side, interleaved, unavailable

PROOF_LEAVES = 100_000  # 2,000 at the tiny size (the smoke test's)
TILE = "/log/tile/0/000"


class _Rollback(Exception):
    pass


TILE_SERVE = "A full log tile through Varnish vs Varnish's synthetic response"


def tile_serve(bench) -> Result:
    title = TILE_SERVE
    if not shutil.which("wrk") or varnishd() is None:
        return unavailable("tile_serve", title, 0.8, "wrk or varnishd is not installed", at_least=True)
    checkpoints.publish_checkpoint()  # stores the bench log's full tiles
    server = Server()
    try:
        with Varnish(server.port, extra_recv=CEILING) as varnish:
            ceiling = wrk(varnish.url + "/__edge_ceiling")
            with urllib.request.urlopen(varnish.url + TILE, timeout=10) as warm:  # noqa: S310 (loopback)
                warm.read()  # warm: the measure is the hit path
            case = wrk(varnish.url + TILE)
    finally:
        server.stop()
    result = Result(
        name="tile_serve", title=title, target=0.8, at_least=True, ratio=case["rps"] / ceiling["rps"],
        case=Side(f"{TILE} (8,192 bytes) through Varnish: {case['rps']:.0f} req/s",
                  round(1000 / case["rps"], 3)),
        floor=Side(f"Varnish synthetic: {ceiling['rps']:.0f} req/s", round(1000 / ceiling["rps"], 3)),
        details={"case": case, "ceiling": ceiling, "seconds": SECONDS, "concurrency": 16},
    )
    if case["non_2xx_3xx"] or case["socket_errors"]:
        result.note, result.ratio = "errors under load: the target does not hold", 0.0
    return result


class _InProcess:
    def get(self, path: str, **params) -> bytes:
        response = client.get(path, params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response.content


def _measure_proofs(bench, leaf: int, checkpoint) -> Result:
    server = _InProcess()
    requests = []

    def by_tiles() -> None:
        tiles = tiles_checks.open_tiles(server, checkpoint.size)  # a reader with nothing cached
        report = standalone.Report()
        with contextlib.redirect_stdout(None):
            tiles_checks.check_tiles_inclusion(report, tiles, checkpoint, leaf)
        if report.failures:
            raise RuntimeError("the tiles do not prove the leaf")
        requests.append(tiles.requests)

    def by_api() -> None:
        answer = json.loads(server.get("/api/log/proof/inclusion", index=leaf, size=checkpoint.size))
        line = server.get(f"/api/log/leaves/{leaf}")
        proof = [base64.b64decode(h) for h in answer["hashes"]]
        if not standalone.verify_inclusion(leaf, checkpoint.size, standalone.line_leaf_hash(line), proof,
                                           checkpoint.root):
            raise RuntimeError("the API's proof does not verify")

    tiles_ms, api_ms = interleaved(by_tiles, by_api, repeat=bench.read_repeat)
    return Result(
        name="proof_by_tiles", title=f"Requests to prove one leaf from tiles at {checkpoint.size} leaves",
        target=5, unit=" requests", ratio=max(requests),
        case=Side(f"tiles: bundle + hash tiles, proof built and checked ({max(requests)} requests)",
                  round(tiles_ms, 3)),
        floor=Side("/api/log/proof/inclusion + /api/log/leaves/<i> (2 requests), checked", round(api_ms, 3)),
        details={"leaf": leaf, "time_vs_api": round(tiles_ms / api_ms, 2) if api_ms else None},
    )


def proof_by_tiles(bench) -> Result:
    result = None
    leaves = PROOF_LEAVES if bench.size.log_revisions >= 20_000 else 2_000
    with contextlib.suppress(_Rollback), transaction.atomic():
        grow_log(max(leaves, tree_size()), bench.author.pk)
        key = standalone.parse_verifier(checkpoints.signing_key().verifier())
        size = tree_size()
        checkpoint = standalone.open_checkpoint(checkpoints.sign_checkpoint(size).note, key)
        result = _measure_proofs(bench, size // 2, checkpoint)
        raise _Rollback  # the synthetic leaves are not the bench's
    return result


MEASURES = [proof_by_tiles]  # tile_serve runs with the load measures (it serves the bench DB over HTTP)

"""The public log's costs: appending leaves on writes, proofs deep in the tree, the standalone verifier.

- log_append: a versioned write with the tree vs the same write with it
  switched off (LOG_TREE), each inside a transaction that is rolled back, so
  the log does not grow lopsidedly while they alternate.
- log_proof_depth: inclusion + consistency proofs over HTTP at the full bench
  log (100,000 leaves) vs at 1,000 leaves: O(log n) node reads, one query each.
- log_verify: tools/verify_log.py over the exported bench log, in leaves per
  second, against hashing the same lines with hashlib alone (the ceiling).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import time

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings

from events import services
from events.models import Development
from interchange.logfile import export_log
from publiclog import checkpoints
from record import tree
from tools import verify_log as standalone

from .http import uncached_get
from .measure import Result, Side, compare, interleaved


class _RolledBack(Exception):
    pass


def log_append(bench) -> Result:
    development = Development.objects.get(pk=bench.writes.pk)
    counter = itertools.count()

    def write(with_tree: bool):
        def run() -> None:
            with override_settings(LOG_TREE=with_tree), contextlib.suppress(_RolledBack), \
                    transaction.atomic():
                services.development_update(
                    author=bench.author, development=development, base_version=development.version,
                    message="Benchmark edit", changes={"summary": f"Tree bench edit {next(counter)}"},
                )
                raise _RolledBack
        return run

    return compare(
        "log_append", "Log append: a versioned write with the Merkle tree vs with it switched off",
        target=1.2, repeat=bench.write_repeat,
        case=("development_update + leaf + tree nodes (rolled back)", write(True)),
        floor=("development_update, LOG_TREE off (rolled back)", write(False)),
        leaves=tree.tree_size(),
    )


def log_proof_depth(bench) -> Result:
    size = tree.tree_size()
    small = min(1000, size)
    for signed in (small // 2 or 1, small, size // 2 or 1, size):
        checkpoints.sign_checkpoint(signed)

    def proofs(n: int):
        inclusion = uncached_get(f"/api/log/proof/inclusion?index={n // 2}&size={n}")
        consistency = uncached_get(f"/api/log/proof/consistency?from={n // 2 or 1}&to={n}")

        def run() -> None:
            inclusion()
            consistency()
        return run

    return compare(
        "log_proof_depth", f"Log proofs: inclusion + consistency at {size} leaves vs at {small}",
        target=1.2, repeat=bench.read_repeat,
        case=(f"proofs at {size} leaves", proofs(size)), floor=(f"proofs at {small} leaves", proofs(small)),
    )


def log_verify(bench) -> Result:
    path = settings.VAR_DIR / "bench" / "tlog-export.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        export_log(stream)
    checkpoint = checkpoints.publish_checkpoint()
    verifier = standalone.parse_verifier(checkpoints.signing_key().verifier())
    opened = standalone.open_checkpoint(checkpoint.note, verifier)

    def verify() -> None:
        report = standalone.Report()
        with contextlib.redirect_stdout(io.StringIO()):
            standalone.check_export(report, standalone.read_export(str(path)), opened, None)
        if report.failures:
            raise RuntimeError("the bench log does not verify")

    def hash_only() -> None:
        for line in path.read_bytes().split(b"\n")[1:]:
            if line:
                hashlib.sha256(line).digest()

    started = time.perf_counter()
    verify()
    repeat = max(3, min(bench.read_repeat, int(5 / max(time.perf_counter() - started, 0.01))))
    case_ms, floor_ms = interleaved(verify, hash_only, repeat=repeat, warmup=1)
    leaves = checkpoint.size
    return Result(
        name="log_verify", title="Standalone verifier over the bench log: leaves/s vs hashlib alone",
        target=0.3, at_least=True, ratio=floor_ms / case_ms if case_ms else None,
        case=Side("tools/verify_log.py --log (leaf + tree hashes, root check)", round(case_ms, 3)),
        floor=Side("hashlib.sha256 of each line", round(floor_ms, 3)),
        details={"leaves": leaves, "verifier_leaves_per_s": round(leaves * 1000 / case_ms),
                 "hashlib_leaves_per_s": round(leaves * 1000 / floor_ms)},
    )


MEASURES = [log_append, log_proof_depth, log_verify]

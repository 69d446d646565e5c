"""The verifier's checks through the log's JSON API (/api/log/...): leaves, proofs, an exported log.

Standalone (Python 3.11+ and `cryptography`), like every file in tools/. The
server's answers are never trusted: every leaf is hashed here and every
proof is checked against a signed checkpoint. A leaf is a revision's entry,
which commits to the revision's full line by its SHA-256 (tlog_core.entry_of).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from .tlog_core import (
    Checkpoint,
    Failure,
    Report,
    line_leaf_hash,
    line_leaf_hashes,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _hashes(answer: dict) -> list[bytes]:
    return [base64.b64decode(h) for h in answer["hashes"]]


def _describe(data: bytes) -> str:
    line = json.loads(data)
    return (f"revision {line.get('revision')} by {line.get('author')} at {line.get('at')} "
            f"({line.get('kind')}): {str(line.get('message'))[:80]!r}")


def _differences(signed: dict, now: dict) -> list[str]:
    """What an exported line says differently from the signed leaf, field by field."""
    found = [f"{key}: signed {signed.get(key)!r}, now {now.get(key)!r}"
             for key in sorted(set(signed) | set(now))
             if key != "versions" and signed.get(key) != now.get(key)]
    old = {(v["model"], v["id"], v["version"]): v["fields"] for v in signed.get("versions", [])}
    new = {(v["model"], v["id"], v["version"]): v["fields"] for v in now.get("versions", [])}
    for key in sorted(set(old) | set(new), key=str):
        name = f"{key[0]} {key[1]} version {key[2]}"
        if key not in new or key not in old:
            found.append(f"{name}: {'missing now' if key not in new else 'not in the signed leaf'}")
            continue
        for field in sorted(set(old[key]) | set(new[key])):
            if old[key].get(field) != new[key].get(field):
                found.append(f"{name}, {field}: signed {old[key].get(field)!r}, now {new[key].get(field)!r}")
    return found


def read_export(path: str) -> list[bytes]:
    """The leaves of an exported log: every line after the header, without its newline."""
    lines = Path(path).read_bytes().split(b"\n")
    if not lines or b"tracker-revision-log" not in lines[0]:
        raise Failure(f"{path} is not an exported revision log (no header line).")
    return [line for line in lines[1:] if line]


def check_export(report: Report, leaves: list[bytes], checkpoint: Checkpoint,
                 signed_leaves: list[bytes] | None) -> None:
    if len(leaves) < checkpoint.size:
        report.failed(f"The exported log has {len(leaves)} revisions, fewer than the {checkpoint.size} "
                      f"the checkpoint signed: revisions were removed.")
    root = root_of(line_leaf_hashes(leaves[:checkpoint.size]))
    if len(leaves) >= checkpoint.size and root == checkpoint.root:
        report.proven(f"the exported log's first {checkpoint.size} revisions are exactly the signed "
                      f"ones ({len(leaves) - checkpoint.size} later revision(s) are not signed yet).")
        return
    if signed_leaves is None:
        report.failed("The exported log does not hash to the checkpoint's root: at least one revision "
                      "differs from what was signed. Give --server to find which.")
        return
    report.failed("The exported log is not the signed log. Revision by revision:")
    for index, signed in enumerate(signed_leaves):
        now = leaves[index] if index < len(leaves) else None
        if now == signed:
            continue
        if now is None:
            report.failed(f"leaf {index}, {_describe(signed)}, is missing from the exported log.")
            continue
        report.failed(f"leaf {index}: {_describe(signed)} was ALTERED after it was signed.")
        for difference in _differences(json.loads(signed), json.loads(now)):
            report.note(difference)


def fetch_signed_leaves(report: Report, server, checkpoint: Checkpoint) -> list[bytes] | None:
    """Every leaf the checkpoint signs, from the server, checked against its root."""
    leaves = list(server.leaves(0, checkpoint.size))
    if len(leaves) != checkpoint.size or root_of(line_leaf_hashes(leaves)) != checkpoint.root:
        report.failed(f"The server's {len(leaves)} leaves do not hash to the signed root of "
                      f"{checkpoint.size} leaves: the server does not serve the log it signed.")
        return None
    report.proven(f"all {checkpoint.size} leaves the server serves are exactly the signed log.")
    return leaves


def api_consistency_proof(server) -> Callable[[int, int], list[bytes]]:
    """The consistency proofs the server computes (/api/log/proof/consistency)."""
    def proof(old: int, new: int) -> list[bytes]:
        return _hashes(server.json("/api/log/proof/consistency", **{"from": old, "to": new}))
    return proof


def check_consistency(report: Report, proof_of: Callable[[int, int], list[bytes]], state: dict,
                      checkpoint: Checkpoint) -> bool:
    """The checkpoint against the latest one seen before (state): same log, only grown.

    `proof_of(old, new)` gives the consistency proof, from the server's API
    or built from tiles: either way it is checked here against both roots.
    """
    seen = state.get("checkpoints", [])
    if not seen:
        report.note("No earlier checkpoint seen (first run with this state file): nothing to compare yet.")
        return True
    last = seen[-1]
    old_size, old_root = last["size"], base64.b64decode(last["root"])
    if checkpoint.size < old_size:
        report.failed(f"The log SHRANK: you saw {old_size} leaves on {last['seen']}, now {checkpoint.size}.")
        return False
    if checkpoint.size == old_size:
        if checkpoint.root == old_root:
            report.proven(f"the log is unchanged since you saw it on {last['seen']} ({old_size} leaves).")
            return True
        report.failed(f"The log was REWRITTEN: same size {old_size} as on {last['seen']}, other root.")
        return False
    try:
        proof = proof_of(old_size, checkpoint.size)
    except Failure as error:
        report.failed(f"No consistency proof from {old_size} to {checkpoint.size} leaves: {error}")
        return False
    if verify_consistency(old_size, checkpoint.size, old_root, checkpoint.root, proof):
        report.proven(f"the log of {checkpoint.size} leaves extends the {old_size} leaves you saw on "
                      f"{last['seen']}: nothing seen then was changed or removed.")
        return True
    report.failed(f"The log of {checkpoint.size} leaves is NOT CONSISTENT with the {old_size} leaves you "
                  f"saw on {last['seen']}: history was rewritten or deleted since.")
    return False


def check_inclusion(report: Report, server, checkpoint: Checkpoint, *, revision=None,
                    index=None) -> None:
    try:
        if index is None:
            index = server.leaf_index_of(revision)
        data = server.get(f"/api/log/leaves/{index}")
        proof = _hashes(server.json("/api/log/proof/inclusion", index=index, size=checkpoint.size))
    except Failure as error:
        what = f"revision {revision}" if revision is not None else f"leaf {index}"
        report.failed(f"Could not check {what}: {error}")
        return
    if revision is not None and json.loads(data).get("revision") != revision:
        report.failed(f"Leaf {index} is not revision {revision}: {_describe(data)}.")
        return
    if verify_inclusion(index, checkpoint.size, line_leaf_hash(data), proof, checkpoint.root):
        report.proven(f"leaf {index}, {_describe(data)}, is in the signed log of {checkpoint.size} leaves.")
    else:
        report.failed(f"Leaf {index} ({_describe(data)}) is NOT in the signed log of "
                      f"{checkpoint.size} leaves.")



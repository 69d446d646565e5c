#!/usr/bin/env python3
"""Check the tracker's public revision log yourself: signatures, consistency, inclusion.

Standalone on purpose: it needs only Python 3.11+ and the `cryptography`
package, and shares no code with the server it checks (its sibling modules
in tools/ are part of it: tlog_core, tlog_tiles, log_checks, tiles_checks,
witness_policy).
It follows RFC 9162 §2.1 (Merkle tree hashing, inclusion and consistency
proofs), C2SP tlog-checkpoint, signed-note (Ed25519) and tlog-tiles.

    # Against a live server: check the latest checkpoint's signature, that it
    # extends every checkpoint this script saw before (state file), and that
    # revisions 12 and 40 are in it.
    python verify_log.py --server https://news.example --key 'news.example/log+1a2b3c4d+AX...' \
        --state verify-state.json --revision 12 --revision 40

    # The same from the log's static tiles only (/log/checkpoint, /log/tile/...),
    # which any cache can serve: proofs are built here from the tiles.
    # (--revision there finds the revision's leaf in the entry bundles).
    python verify_log.py --tiles --server https://news.example --key KEY --state s.json --leaf 7

    # Also download every leaf (or, with --tiles, every entry bundle) and
    # recompute the root (--audit), or compare an exported log (manage.py
    # export_log) with the signed leaves, field by field (--log).
    python verify_log.py --server https://news.example --key KEY --audit --log export.jsonl

    # Require cosignatures from independent witnesses (at least 2 of these 3).
    python verify_log.py --server https://news.example --key KEY --witnesses-required 2 \
        --witness 'w1.example/w+5c2f8a01+BO...' --witness W2 --witness W3

    # Offline: an exported log and a checkpoint saved earlier.
    python verify_log.py --log export.jsonl --checkpoint checkpoint.txt --key KEY

A leaf is a revision's entry, `{"line_sha256": ..., "revision": ...}`: it
commits to the revision's full line (as exported, and as /api/log/leaves/<i>
serves it) by its SHA-256. It prints what is proven and what failed, in plain
words, and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

if not __package__:
    # Run as a script (`python tools/verify_log.py`): import this folder as a package,
    # so its sibling modules load one way whether the verifier runs or is imported.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = Path(__file__).resolve().parent.name  # noqa: A001

from . import witness_policy
from .log_checks import (
    api_consistency_proof,
    check_consistency,
    check_export,
    check_inclusion,
    fetch_signed_leaves,
    read_export,
)
from .tiles_checks import (
    audit_tiles,
    check_tiles_inclusion,
    leaf_of_revision,
    open_tiles,
    signed_lines,
    tiles_consistency_proof,
)
from .tlog_core import (
    Checkpoint,
    Failure,
    Report,
    RootBuilder,
    entry_of,
    leaf_hash,
    line_leaf_hash,
    open_checkpoint,
    parse_verifier,
    verify_consistency,
    verify_inclusion,
)

__all__ = ["Checkpoint", "Failure", "Report", "RootBuilder", "check_export", "entry_of", "leaf_hash",
           "line_leaf_hash", "main", "open_checkpoint", "parse_verifier", "read_export", "verify_consistency",
           "verify_inclusion"]

PAGE = 1000  # leaves per range request


# --- talking to a server ----------------------------------------------------------

class Server:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def get(self, path: str, **params) -> bytes:
        url = f"{self.url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (the user's URL)
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:300]
            raise Failure(f"The server answered {error.code} to {url}: {detail}") from error
        except urllib.error.URLError as error:
            raise Failure(f"Could not reach {url}: {error.reason}") from error

    def json(self, path: str, **params) -> dict:
        return json.loads(self.get(path, **params))

    def leaves(self, start: int, end: int):
        while start < end:
            page = self.json("/api/log/leaves/", start=start, end=min(end, start + PAGE))
            for encoded in page["leaves"]:
                yield base64.b64decode(encoded)
            if page["end"] <= start:
                raise Failure("The server's leaf pages do not advance.")
            start = page["end"]

    def leaf_index_of(self, revision: int) -> int:
        page = self.json("/api/changes/", after=revision - 1, limit=1)
        found = [entry for entry in page["results"] if entry["id"] == revision]
        if not found or found[0].get("leaf_index") is None:
            raise Failure(f"Revision {revision} is not in the change feed with a leaf.")
        return found[0]["leaf_index"]


def _hashes(answer: dict) -> list[bytes]:
    return [base64.b64decode(h) for h in answer["hashes"]]



def _load_state(path: str | None) -> dict:
    if path and Path(path).exists():
        return json.loads(Path(path).read_text())
    return {}


def _save_state(path: str | None, state: dict, checkpoint: Checkpoint, when: str) -> None:
    if not path:
        return
    seen = state.setdefault("checkpoints", [])
    if not seen or seen[-1]["size"] != checkpoint.size:
        seen.append({"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode(),
                     "seen": when})
    del seen[:-20]  # the latest ones are all a later run compares with
    Path(path).write_text(json.dumps(state, indent=1))


def _through_api(args, report: Report, server: Server, checkpoint: Checkpoint, state: dict) -> bool:
    consistent = check_consistency(report, api_consistency_proof(server), state, checkpoint)
    for revision in args.revision:
        check_inclusion(report, server, checkpoint, revision=revision)
    for index in args.leaf:
        check_inclusion(report, server, checkpoint, index=index)
    if args.audit or args.log:
        signed = fetch_signed_leaves(report, server, checkpoint)
        if args.log:
            check_export(report, read_export(args.log), checkpoint, signed)
    return consistent


def _through_tiles(args, report: Report, server: Server, checkpoint: Checkpoint, state: dict) -> bool:
    consistent = check_consistency(report, tiles_consistency_proof(server), state, checkpoint)
    tiles = open_tiles(server, checkpoint.size)
    for revision in args.revision:
        try:
            index = leaf_of_revision(tiles, revision)
        except Failure as error:
            report.failed(f"Could not check revision {revision}: {error}")
            continue
        check_tiles_inclusion(report, tiles, checkpoint, index, revision)
    for index in args.leaf:
        check_tiles_inclusion(report, tiles, checkpoint, index)
    if args.audit or args.log:
        entries = audit_tiles(report, tiles, checkpoint)
        if args.log:
            lines = read_export(args.log)
            signed = signed_lines(report, server, lines, entries) if entries is not None else None
            check_export(report, lines, checkpoint, signed)
    return consistent


def check_witnesses(report: Report, note: str, keys: list[str], required: int | None) -> None:
    """The reader's witness policy (witness_policy.py): enough of these witnesses cosigned."""
    try:
        vouching = witness_policy.Policy.from_keys(keys, required).check(note)
    except witness_policy.PolicyFailure as error:
        raise Failure(str(error)) from error
    report.proven("witnesses vouch for this checkpoint: " + ", ".join(
        f"{cosigned.witness} (cosigned {cosigned.when})" for cosigned in vouching) + ".")


def main(argv: list[str] | None = None) -> int:
    import datetime as dt

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, help="The log's verifier key (name+id+key), or @FILE.")
    parser.add_argument("--server", help="The tracker's base URL, e.g. https://news.example")
    parser.add_argument("--tiles", action="store_true",
                        help="Read only the log's C2SP tiles under <server>/log/ (proofs built here).")
    parser.add_argument("--state", help="JSON file remembering the checkpoints seen (for consistency).")
    parser.add_argument("--revision", type=int, action="append", default=[],
                        help="Prove this revision is in the log.")
    parser.add_argument("--leaf", type=int, action="append", default=[],
                        help="Prove this leaf is in the log.")
    parser.add_argument("--audit", action="store_true", help="Download every leaf and recompute the root.")
    parser.add_argument("--log", help="An exported log (manage.py export_log) to compare with the signed.")
    parser.add_argument("--checkpoint", help="A saved checkpoint file (instead of the server's latest).")
    parser.add_argument("--witness", action="append", default=[],
                        help="A witness's verifier key whose cosignature counts (repeat for each).")
    parser.add_argument("--witnesses-required", type=int,
                        help="How many of the --witness keys must cosign (default: all of them).")
    args = parser.parse_args(argv)
    report = Report()
    try:
        key_text = Path(args.key[1:]).read_text() if args.key.startswith("@") else args.key
        verifier = parse_verifier(key_text)
        if not args.server and not (args.log and args.checkpoint):
            raise Failure("Give --server URL, or --log FILE with --checkpoint FILE.")
        server = Server(args.server) if args.server else None
        note = (Path(args.checkpoint).read_text(encoding="utf-8") if args.checkpoint
                else server.get("/log/checkpoint" if args.tiles else "/api/log/checkpoint").decode())
        checkpoint = open_checkpoint(note, verifier)
        report.proven(f"the checkpoint is signed by {verifier.name}: {checkpoint.size} leaves, "
                      f"root {checkpoint.root.hex()}.")
        if args.witness:
            check_witnesses(report, note, args.witness, args.witnesses_required)
        state = _load_state(args.state)
        if server is None:
            check_export(report, read_export(args.log), checkpoint, None)
        else:
            through = _through_tiles if args.tiles else _through_api
            if through(args, report, server, checkpoint, state):
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                _save_state(args.state, state, checkpoint, now)
    except Failure as error:
        report.failed(str(error))
    print("Result: everything checked holds." if not report.failures
          else f"Result: {report.failures} check(s) FAILED.")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Check the tracker's public revision log yourself: signatures, consistency, inclusion.

Standalone on purpose: it needs only Python 3.11+ and the `cryptography`
package, and shares no code with the server it checks. It follows RFC 9162
§2.1 (Merkle tree hashing, inclusion and consistency proofs), C2SP
tlog-checkpoint and C2SP signed-note (Ed25519).

    # Against a live server: check the latest checkpoint's signature, that it
    # extends every checkpoint this script saw before (state file), and that
    # revisions 12 and 40 are in it.
    python verify_log.py --server https://news.example --key 'news.example/log+1a2b3c4d+AX...' \
        --state verify-state.json --revision 12 --revision 40

    # Also download every leaf and recompute the root (--audit), or compare an
    # exported log (manage.py export_log) with the signed leaves (--log).
    python verify_log.py --server https://news.example --key KEY --audit --log export.jsonl

    # Require cosignatures from independent witnesses (at least 2 of these 3).
    python verify_log.py --server https://news.example --key KEY --witnesses-required 2 \
        --witness 'w1.example/w+5c2f8a01+BO...' --witness W2 --witness W3

    # Offline: an exported log and a checkpoint saved earlier.
    python verify_log.py --log export.jsonl --checkpoint checkpoint.txt --key KEY

It prints what is proven and what failed, in plain words, and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

try:  # the witness policy lives beside this file: a module when imported, a sibling when run
    from . import witness_policy
except ImportError:
    import witness_policy

PAGE = 1000  # leaves per range request


class Failure(Exception):
    """Something did not verify; the message says what."""


# --- RFC 9162 §2.1 ----------------------------------------------------------------

def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class RootBuilder:
    """The root of a growing list of leaf hashes, keeping one hash per level (a compact range)."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []

    def add(self, digest: bytes) -> None:
        level = 0
        stack = self._stack
        while stack and stack[-1][0] == level:
            digest = node_hash(stack.pop()[1], digest)
            level += 1
        stack.append((level, digest))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        result = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            result = node_hash(left, result)
        return result


def verify_inclusion(index: int, size: int, digest: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, digest
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    if first & (first - 1) == 0:  # a power of two: the old root is the first node
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# --- C2SP signed notes and checkpoints -------------------------------------------

@dataclass
class Verifier:
    name: str
    key_id: bytes
    key: Ed25519PublicKey


def parse_verifier(text: str) -> Verifier:
    parts = text.strip().split("+", 2)  # base64 may hold "+"
    if len(parts) != 3:
        raise Failure("The verifier key is not <name>+<key id>+<base64 key>.")
    name, key_id, raw = parts[0], bytes.fromhex(parts[1]), base64.b64decode(parts[2])
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise Failure("The verifier key is not an Ed25519 key.")
    if hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4] != key_id:
        raise Failure("The verifier key's id does not match its name and key: it was mistyped.")
    return Verifier(name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:]))


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """The checkpoint a signed note says, if `verifier` signed it; else Failure."""
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        raise Failure("The checkpoint is not a signed note (no blank line before signatures).")
    body = text + "\n"
    prefix = f"\u2014 {verifier.name} "
    signed = False
    for line in signatures.splitlines():
        if not line.startswith(prefix):
            continue
        raw = base64.b64decode(line[len(prefix):])
        if raw[:4] != verifier.key_id:
            continue
        try:
            verifier.key.verify(raw[4:], body.encode())
        except InvalidSignature as error:
            raise Failure("The checkpoint's signature is INVALID: it was not signed by this key "
                          "or it was altered after signing.") from error
        signed = True
    if not signed:
        raise Failure(f"The checkpoint carries no signature by {verifier.name}.")
    lines = text.split("\n")
    if len(lines) < 3 or not lines[1].isdigit():
        raise Failure("The signed note is not a checkpoint (origin, size, root).")
    if lines[0] != verifier.name:
        raise Failure(f"The checkpoint is of log {lines[0]!r}, not {verifier.name!r}.")
    return Checkpoint(lines[0], int(lines[1]), base64.b64decode(lines[2]))


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


# --- what the script checks -------------------------------------------------------

class Report:
    def __init__(self) -> None:
        self.failures = 0

    def proven(self, text: str) -> None:
        print(f"PROVEN: {text}")

    def failed(self, text: str) -> None:
        self.failures += 1
        print(f"FAILED: {text}")

    def note(self, text: str) -> None:
        print(f"        {text}")


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
    builder = RootBuilder()
    for data in leaves[:checkpoint.size]:
        builder.add(leaf_hash(data))
    if len(leaves) >= checkpoint.size and builder.root() == checkpoint.root:
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


def fetch_signed_leaves(report: Report, server: Server, checkpoint: Checkpoint) -> list[bytes] | None:
    """Every leaf the checkpoint signs, from the server, checked against its root."""
    builder, leaves = RootBuilder(), []
    for data in server.leaves(0, checkpoint.size):
        builder.add(leaf_hash(data))
        leaves.append(data)
    if builder.size != checkpoint.size or builder.root() != checkpoint.root:
        report.failed(f"The server's {builder.size} leaves do not hash to the signed root of "
                      f"{checkpoint.size} leaves: the server does not serve the log it signed.")
        return None
    report.proven(f"all {checkpoint.size} leaves the server serves are exactly the signed log.")
    return leaves


def check_consistency(report: Report, server: Server, state: dict, checkpoint: Checkpoint) -> bool:
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
        answer = server.json("/api/log/proof/consistency", **{"from": old_size, "to": checkpoint.size})
        proof = _hashes(answer)
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


def check_inclusion(report: Report, server: Server, checkpoint: Checkpoint, *, revision=None,
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
    if verify_inclusion(index, checkpoint.size, leaf_hash(data), proof, checkpoint.root):
        report.proven(f"leaf {index}, {_describe(data)}, is in the signed log of {checkpoint.size} leaves.")
    else:
        report.failed(f"Leaf {index} ({_describe(data)}) is NOT in the signed log of "
                      f"{checkpoint.size} leaves.")


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
                else server.get("/api/log/checkpoint").decode())
        checkpoint = open_checkpoint(note, verifier)
        report.proven(f"the checkpoint is signed by {verifier.name}: {checkpoint.size} leaves, "
                      f"root {checkpoint.root.hex()}.")
        if args.witness:
            check_witnesses(report, note, args.witness, args.witnesses_required)
        state = _load_state(args.state)
        consistent = check_consistency(report, server, state, checkpoint) if server else True
        for revision in args.revision:
            check_inclusion(report, server, checkpoint, revision=revision)
        for index in args.leaf:
            check_inclusion(report, server, checkpoint, index=index)
        signed = None
        if server and (args.audit or args.log):
            signed = fetch_signed_leaves(report, server, checkpoint)
        if args.log:
            check_export(report, read_export(args.log), checkpoint, signed)
        if consistent and server:
            _save_state(args.state, state, checkpoint, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    except Failure as error:
        report.failed(str(error))
    print("Result: everything checked holds." if not report.failures
          else f"Result: {report.failures} check(s) FAILED.")
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

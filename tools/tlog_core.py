"""The log's cryptography for the standalone tools: RFC 9162 hashes and proofs, C2SP notes and checkpoints.

Standalone on purpose, like every file in tools/: Python 3.11+ and the
`cryptography` package only, nothing shared with the server. Also the
tracker's entry format (`entry_of`): a leaf commits to a revision's full
line by its SHA-256, so an entry stays within a C2SP bundle's 65,535 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from binascii import hexlify
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


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


# --- what the tools print --------------------------------------------------------

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


# --- the tracker's entries ---------------------------------------------------------

# The line's top-level "revision" read without parsing the whole line: from its start, only
# scalar members (strings, numbers, true/false/null) up to the "revision" key, whose value
# is an integer as json.dumps writes it. Used only when it cannot disagree with json.loads
# (see _revision_bytes); the line's SHA-256 still commits to every byte of it.
_STRING = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_SCALAR = rb'(?:' + _STRING + rb'|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)'
_MEMBER = rb'(?!"revision":)' + _STRING + rb':' + _SCALAR + rb','
# ...then the revision as json.dumps spells an int:
_TOP_REVISION = re.compile(rb'\{(?:' + _MEMBER + rb')*"revision":(0|-?[1-9]\d*)[,}]')
_ENTRY = b'{"line_sha256":"%s","revision":%s}'


def _revision_bytes(line: bytes) -> bytes | None:
    """The line's revision id as JSON text, when a plain reading is exactly json.loads's; else None.

    Exact for any JSON line because the key occurs once (json.loads keeps the last of
    duplicates, and a nested "revision" key would be ambiguous), no \\u escape can spell it
    otherwise, and it is a top-level key. With no backslash in the line every quote delimits,
    so the one before `revision":` opens a string (a bare word is not JSON) that is a key (":"
    follows), and with no "{" or "[" before it but the line's own, nothing is nested there.
    Otherwise the regular expression reads scalar members from the line's start.
    """
    at = line.find(b'"revision":')
    if at < 0 or line.find(b'"revision":', at + 11) >= 0 or line[:1] != b"{" or line[-1:] != b"}":
        return None
    if b"\\" not in line:
        if line.find(b"{", 1, at) >= 0 or line.find(b"[", 1, at) >= 0:
            return None
        digits = line[at + 11:line.find(b",", at + 11)]  # up to the member's end, if all digits
        return digits if digits.isdigit() and (digits[:1] != b"0" or digits == b"0") else None
    if b"\\u" in line:
        return None
    found = _TOP_REVISION.match(line)
    return found[1] if found else None


def entry_of(line: bytes) -> bytes:
    """The signed entry of a revision's full line: its revision id and the line's SHA-256, as JSON."""
    revision = _revision_bytes(line)
    if revision is not None:  # the same bytes json.dumps writes, without parsing the whole line
        return _ENTRY % (hexlify(hashlib.sha256(line).digest()), revision)
    try:
        revision = json.loads(line)["revision"]
    except (ValueError, KeyError, TypeError) as error:
        raise Failure("A revision line is not a JSON object with a revision id.") from error
    entry = {"line_sha256": hashlib.sha256(line).hexdigest(), "revision": revision}
    return json.dumps(entry, sort_keys=True, separators=(",", ":")).encode()


def line_leaf_hash(line: bytes) -> bytes:
    """The leaf hash of a revision's full line (the hash of its entry)."""
    return leaf_hash(entry_of(line))


def line_leaf_hashes(lines: list[bytes]) -> list[bytes]:
    """line_leaf_hash of many lines (a whole log): the same hashes, with entry_of's plain case inlined."""
    sha256, reading, hashes = hashlib.sha256, _revision_bytes, []
    for line in lines:
        revision = reading(line)
        entry = (_ENTRY % (hexlify(sha256(line).digest()), revision) if revision is not None
                 else entry_of(line))
        hashes.append(sha256(b"\x00" + entry).digest())
    return hashes


def root_of(digests: list[bytes]) -> bytes:
    """RFC 9162 MTH from all leaf hashes at once, level by level (an odd last node moves up as is).

    The same root as RootBuilder, in far fewer Python steps for a whole log.
    """
    if not digests:
        return hashlib.sha256(b"").digest()
    sha256, level = hashlib.sha256, digests
    while len(level) > 1:
        pairs = zip(level[::2], level[1::2], strict=False)  # an odd last node has no pair
        paired = [sha256(b"\x01" + left + right).digest() for left, right in pairs]
        if len(level) & 1:
            paired.append(level[-1])
        level = paired
    return level[0]


# --- RFC 9162 §2.1 proof shapes: which subtrees a proof is made of ------------------

def perfect_nodes(lo: int, hi: int) -> list[tuple[int, int]]:
    """The aligned perfect subtrees (level, index) that make up leaves lo..hi-1, left to right."""
    nodes = []
    while lo < hi:
        level = (lo & -lo).bit_length() - 1 if lo else (hi - lo).bit_length() - 1
        while lo + (1 << level) > hi:
            level -= 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def _split(size: int) -> int:
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PATH(index, D[0:size]), in proof order."""
    ranges, lo, hi = [], 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    return ranges[::-1]


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form PROOF(old, D[0:new]), in proof order."""
    ranges, m, lo, hi, complete = [], old, 0, new, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            m, lo, complete = m - k, lo + k, False
    if not complete:
        ranges.append((lo, hi))
    return ranges[::-1]


def fold(hashes: list[bytes]) -> bytes:
    """A range's hash from its perfect subtrees' hashes, left to right."""
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result

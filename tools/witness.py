#!/usr/bin/env python3
"""A transparency-log witness anyone can run: C2SP tlog-witness over HTTP, C2SP tlog-cosignature.

Standalone on purpose, like verify_log.py: Python 3.11+ and the
`cryptography` package, sharing no code with the tracker it watches (a
witness that ran the log's own code would vouch for the log's own bugs).

A witness remembers, for every log it follows, the latest checkpoint it
cosigned, and cosigns a new one only when a consistency proof shows that it
extends that one. A newsroom that showed one history to some readers and a
rewritten one to others would need the same witnesses to cosign both, and
they refuse: a fork gets a 409 (a size or root it did not see) or a 422 (a
proof that does not verify). Readers who require cosignatures from
independent witnesses (verify_log.py --witness) therefore cannot be shown a
forked log.

    # Once: make the witness's key (keep witness.key secret; publish the verifier key it prints).
    python witness.py keygen witness.partner.example/w1 --out witness.key

    # witness.json names the logs it follows (origin and the log's verifier key):
    #   {"listen": "0.0.0.0:7380", "key_file": "witness.key", "state": "witness.db",
    #    "logs": [{"origin": "news.example/log", "key": "news.example/log+1a2b3c4d+AX..."}]}
    python witness.py serve --config witness.json

The state file is SQLite: checking the old size and recording the new
checkpoint happen in one write transaction (and under one lock), committed
(fsync'd) before the cosignature is sent, so neither a race between two
requests nor a crash can make the witness forget what it cosigned.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"  # signed-note signature type: the log's Ed25519 checkpoint signatures
COSIGNATURE_V1 = b"\x04"  # signed-note signature type: timestamped Ed25519 cosignatures
MAX_BODY = 64 * 1024
MAX_PROOF_LINES = 63
EM_DASH = "\u2014"


class Refused(Exception):
    """An add-checkpoint request the witness will not cosign: an HTTP status and why."""

    def __init__(self, status: int, reason: str, body: str = "", content_type: str = "text/plain") -> None:
        super().__init__(reason)
        self.status, self.body, self.content_type = status, body or reason + "\n", content_type


# --- keys ---------------------------------------------------------------------------

def key_id(name: str, kind: bytes, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + kind + public).digest()[:4]


def raw_public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Cosigner:
    """The witness's own key: name, Ed25519 private key; key ID of type 0x04 (cosignature/v1)."""

    name: str
    private: Ed25519PrivateKey

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, COSIGNATURE_V1, raw_public(self.private))

    def verifier(self) -> str:
        encoded = base64.b64encode(COSIGNATURE_V1 + raw_public(self.private)).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def signer(self) -> str:
        encoded = base64.b64encode(COSIGNATURE_V1 + self.private.private_bytes_raw()).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{encoded}"

    def cosign(self, body: str, timestamp: int) -> str:
        """The cosignature/v1 note signature line on a checkpoint body (tlog-cosignature)."""
        signature = self.private.sign(cosigned_message(body, timestamp))
        raw = self.key_id + timestamp.to_bytes(8, "big") + signature
        return f"{EM_DASH} {self.name} {base64.b64encode(raw).decode()}\n"


def cosigned_message(body: str, timestamp: int) -> bytes:
    """`cosignature/v1`, `time <timestamp>`, then the whole checkpoint body (each line ends in \\n)."""
    if not 0 <= timestamp < 2**63:
        raise ValueError("a cosignature timestamp is a POSIX time below 2^63")
    return f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()


def parse_cosigner(text: str) -> Cosigner:
    parts = text.strip().split("+", 4)  # base64 may hold "+"
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise SystemExit("The witness key is not PRIVATE+KEY+<name>+<key id>+<key> (see keygen).")
    raw = base64.b64decode(parts[4])
    if raw[:1] != COSIGNATURE_V1 or len(raw) != 33:
        raise SystemExit("The witness key is not a cosignature/v1 (Ed25519, type 0x04) key.")
    cosigner = Cosigner(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if cosigner.key_id.hex() != parts[3]:
        raise SystemExit("The witness key's id does not match its name and key.")
    return cosigner


@dataclass(frozen=True)
class LogKey:
    """A log's note verifier key (Ed25519, type 0x01): `<name>+<key id hex>+<base64(0x01 || key)>`."""

    name: str
    key_id: bytes
    public: Ed25519PublicKey


def parse_log_key(text: str) -> LogKey:
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise SystemExit(f"{text!r} is not a verifier key <name>+<key id>+<base64 key>.")
    raw = base64.b64decode(parts[2])
    if raw[:1] != ED25519 or len(raw) != 33 or key_id(parts[0], ED25519, raw[1:]).hex() != parts[1]:
        raise SystemExit(f"{text!r} is not a valid Ed25519 note verifier key.")
    return LogKey(parts[0], bytes.fromhex(parts[1]), Ed25519PublicKey.from_public_bytes(raw[1:]))


# --- checkpoints and proofs -----------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    body: str  # the note text: origin, size, root, any extension lines, final newline


def read_checkpoint(note: str) -> tuple[Checkpoint, list[tuple[str, bytes]]]:
    """The checkpoint of a signed note and its signature lines (name, raw bytes); 400 if malformed."""
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not text:
        raise Refused(400, "The checkpoint is not a signed note (text, blank line, signatures).")
    body = text + "\n"
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0]:
        raise Refused(400, "A checkpoint has an origin line, a size line and a root hash line.")
    size_text = lines[1]
    if not (size_text.isascii() and size_text.isdigit()) or (size_text != "0" and size_text[0] == "0"):
        raise Refused(400, "The checkpoint's size is not a decimal without leading zeroes.")
    try:
        root = base64.b64decode(lines[2], validate=True)
    except ValueError:
        root = b""
    if len(root) != 32:
        raise Refused(400, "The checkpoint's root is not a base64 SHA-256 hash.")
    found = []
    for line in signatures.split("\n"):
        if not line:
            continue
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raw = b""
        if dash != EM_DASH or not name or len(raw) < 5:
            raise Refused(400, "A signature line is not '\u2014 <name> <base64 signature>'.")
        found.append((name, raw))
    return Checkpoint(lines[0], int(size_text), root, body), found


def signed_by(checkpoint: Checkpoint, signatures: list[tuple[str, bytes]], keys: list[LogKey]) -> bool:
    """True if a trusted key signed the body; unknown keys are ignored, a bad known one refuses."""
    good = False
    for name, raw in signatures:
        for key in keys:
            if name == key.name and raw[:4] == key.key_id:
                try:
                    key.public.verify(raw[4:], checkpoint.body.encode())
                except InvalidSignature:
                    return False
                good = True
    return good


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: the tree of `second` leaves extends the tree of `first` leaves."""
    if first == 0:
        return not proof  # every tree extends the empty one
    if first == second:
        return not proof and first_root == second_root
    if not first < second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def read_request(body: bytes) -> tuple[int, list[bytes], str]:
    """(old size, proof hashes, signed checkpoint note) of an add-checkpoint body; 400 if malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "The request is not UTF-8.") from None
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise Refused(400, "The request has no blank line before the checkpoint.")
    lines = head.split("\n")
    old_text = lines[0].removeprefix("old ")
    if lines[0] == old_text or not (old_text.isascii() and old_text.isdigit()) or (
            old_text != "0" and old_text[0] == "0"):
        raise Refused(400, "The first line is not 'old <size>' (decimal, no leading zeroes).")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise Refused(400, f"A consistency proof has at most {MAX_PROOF_LINES} lines.")
    proof = []
    for line in lines[1:]:
        try:
            proof.append(base64.b64decode(line, validate=True))
        except ValueError:
            raise Refused(400, "A proof line is not a base64 hash.") from None
        if len(proof[-1]) != 32:
            raise Refused(400, "A proof line is not a base64 SHA-256 hash.")
    return int(old_text), proof, note


# --- the witness ------------------------------------------------------------------------

class Witness:
    """The logs followed, the key, and the durable latest view of each log."""

    def __init__(self, cosigner: Cosigner, logs: dict[str, list[LogKey]], state: str) -> None:
        self.cosigner, self.logs = cosigner, logs
        self.lock = threading.Lock()  # the check and the write are one step (the spec's rollback race)
        self.db = sqlite3.connect(state, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA synchronous = FULL")  # a commit is on disk before the answer
        self.db.execute("CREATE TABLE IF NOT EXISTS latest (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                        "root BLOB NOT NULL, note TEXT NOT NULL, cosigned_at INTEGER NOT NULL)")

    def latest(self, origin: str) -> tuple[int, bytes]:
        row = self.db.execute("SELECT size, root FROM latest WHERE origin = ?", (origin,)).fetchone()
        return (row[0], row[1]) if row else (0, b"")

    def add_checkpoint(self, body: bytes) -> str:
        """The cosignature line(s) for a request body, or Refused."""
        old, proof, note = read_request(body)
        checkpoint, signatures = read_checkpoint(note)
        keys = self.logs.get(checkpoint.origin)
        if keys is None:
            raise Refused(404, f"This witness does not follow the log {checkpoint.origin!r}.")
        if not signed_by(checkpoint, signatures, keys):
            raise Refused(403, "No signature on the checkpoint verifies with the log's key.")
        if old > checkpoint.size:
            raise Refused(400, f"old {old} is larger than the checkpoint's size {checkpoint.size}.")
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")  # also excludes another process on the same state file
            try:
                size, root = self.latest(checkpoint.origin)
                if old != size:
                    raise Refused(409, f"old {old} is not the latest size this witness cosigned.",
                                  body=f"{size}\n", content_type="text/x.tlog.size")
                if old == checkpoint.size and size and root != checkpoint.root:
                    raise Refused(409, "Same size, different root: this is a fork of the log.",
                                  body=f"{size}\n", content_type="text/x.tlog.size")
                if not consistent(old, checkpoint.size, root, checkpoint.root, proof):
                    raise Refused(422, "The consistency proof does not verify: this checkpoint does not "
                                       "extend the one this witness cosigned.")
                now = int(time.time())
                self.db.execute(
                    "INSERT INTO latest (origin, size, root, note, cosigned_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, "
                    "note = excluded.note, cosigned_at = excluded.cosigned_at",
                    (checkpoint.origin, checkpoint.size, checkpoint.root, note, now))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        return self.cosigner.cosign(checkpoint.body, now)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the spec asks
    server_version = "tracker-witness/1"
    timeout = 30  # seconds a connection may sit idle or trickle: a slow client cannot hold a thread
    witness: Witness

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.rstrip("/").rsplit("/", 1)[-1] != "add-checkpoint":
            return self._answer(404, "Only POST /add-checkpoint is here.\n")
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            return self._answer(411, "Send a Content-Length.\n", close=True)
        if not 0 <= length <= MAX_BODY:
            return self._answer(413, f"A request is at most {MAX_BODY} bytes.\n", close=True)
        body = self.rfile.read(length)
        try:
            answer = self.witness.add_checkpoint(body)
        except Refused as refused:
            return self._answer(refused.status, refused.body, refused.content_type)
        self._answer(200, answer)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(200, self.witness.cosigner.verifier() + "\n") if self.path == "/" else self._answer(
            404, "Not here.\n")

    def _answer(self, status: int, text: str, content_type: str = "text/plain", *,
                close: bool = False) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type if content_type != "text/plain"
                         else "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if os.environ.get("WITNESS_QUIET") != "1":
            super().log_message(format, *args)


# --- the command line -----------------------------------------------------------------------

def load(config_path: str) -> tuple[Witness, str]:
    config = json.loads(Path(config_path).read_text())
    here = Path(config_path).resolve().parent
    key_file = here / config["key_file"]
    cosigner = parse_cosigner(key_file.read_text())
    logs: dict[str, list[LogKey]] = {}
    for entry in config["logs"]:
        texts = entry["keys"] if "keys" in entry else [entry["key"]]
        keys = [parse_log_key(text) for text in texts]
        logs[entry.get("origin") or keys[0].name] = keys
    return Witness(cosigner, logs, str(here / config.get("state", "witness.db"))), config.get(
        "listen", "127.0.0.1:7380")


def keygen(name: str, out: str) -> int:
    if not name or any(c in name for c in "+ \n"):
        raise SystemExit("A key name is non-empty and has no '+', space or newline.")
    if Path(out).exists():
        raise SystemExit(f"{out} exists: a witness keeps its key (a new key is a new witness).")
    cosigner = Cosigner(name, Ed25519PrivateKey.generate())
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(cosigner.signer() + "\n")
    print(cosigner.verifier())
    return 0


def serve(config_path: str, listen: str | None) -> int:
    witness, configured = load(config_path)
    host, _, port = (listen or configured).rpartition(":")
    handler = type("WitnessHandler", (Handler,), {"witness": witness})
    server = ThreadingHTTPServer((host.strip("[]") or "127.0.0.1", int(port)), handler)
    print(f"witness {witness.cosigner.name} listening on {host}:{server.server_address[1]}, "
          f"following {', '.join(sorted(witness.logs))}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("keygen", help="Make the witness's key; prints its verifier key.")
    make.add_argument("name", help="The witness's name, a schema-less URL (e.g. witness.example.org/w1).")
    make.add_argument("--out", default="witness.key", help="Where to write the private key (mode 0600).")
    run = commands.add_parser("serve", help="Answer POST /add-checkpoint.")
    run.add_argument("--config", required=True, help="The JSON config: listen, key_file, state, logs.")
    run.add_argument("--listen", help="host:port, instead of the config's.")
    args = parser.parse_args(argv)
    return keygen(args.name, args.out) if args.command == "keygen" else serve(args.config, args.listen)


if __name__ == "__main__":
    sys.exit(main())

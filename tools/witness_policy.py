"""A reader's witness policy: which witnesses must have cosigned a checkpoint, and how many of them.

Standalone like verify_log.py (Python 3.11+ and `cryptography`, nothing of
the server's or the witness's). A checkpoint cosigned by independent
witnesses (C2SP tlog-cosignature, `cosignature/v1`: timestamped Ed25519) was
seen by each of them as an extension of every checkpoint they saw before,
so requiring their cosignatures protects a reader from a forked log.

    policy = Policy.from_keys(["witness.example/w1+0a1b2c3d+BK...", ...], required=2)
    vouching = policy.check(note)   # the witnesses that vouch, or PolicyFailure saying who is missing
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

COSIGNATURE_V1 = b"\x04"
FUTURE_LEEWAY = 300  # seconds of clock skew tolerated before a timestamp counts as "in the future"


class PolicyFailure(Exception):
    """The checkpoint does not carry the cosignatures the policy asks for."""


@dataclass(frozen=True)
class WitnessKey:
    """A witness's verifier key: `<name>+<key id hex>+<base64(0x04 || Ed25519 public key)>`."""

    name: str
    key_id: bytes
    public: Ed25519PublicKey
    text: str


@dataclass(frozen=True)
class Cosigned:
    witness: str
    timestamp: int

    @property
    def when(self) -> str:
        return dt.datetime.fromtimestamp(self.timestamp, dt.UTC).isoformat(timespec="seconds")


def parse_witness_key(text: str) -> WitnessKey:
    text = text.strip()
    parts = text.split("+", 2)  # base64 may hold "+"
    if len(parts) != 3:
        raise PolicyFailure(f"{text!r} is not a witness verifier key <name>+<key id>+<base64 key>.")
    try:
        key_id, raw = bytes.fromhex(parts[1]), base64.b64decode(parts[2], validate=True)
    except ValueError:
        raise PolicyFailure(f"{text!r} is not a witness verifier key (bad hex or base64).") from None
    if raw[:1] != COSIGNATURE_V1 or len(raw) != 33:
        raise PolicyFailure(f"{parts[0]}'s key is not a cosignature/v1 key (type 0x04, Ed25519).")
    if hashlib.sha256(parts[0].encode() + b"\n" + raw).digest()[:4] != key_id:
        raise PolicyFailure(f"{parts[0]}'s key id does not match its name and key: it was mistyped.")
    return WitnessKey(parts[0], key_id, Ed25519PublicKey.from_public_bytes(raw[1:]), text)


def cosignatures(note: str, witnesses: list[WitnessKey], *, now: int) -> dict[str, Cosigned]:
    """The valid cosignatures on a signed checkpoint note from these witnesses, by witness name.

    Lines by unknown keys are ignored (the signed-note rule); a line by a
    known key that does not verify, or is dated in the future, is a failure.
    """
    text, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise PolicyFailure("The checkpoint is not a signed note.")
    body = (text + "\n").encode()
    found: dict[str, Cosigned] = {}
    for line in signatures.split("\n"):
        _dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        for witness in witnesses:
            if name != witness.name:
                continue
            try:
                raw = base64.b64decode(encoded, validate=True)
            except ValueError:
                continue
            if raw[:4] != witness.key_id or len(raw) != 4 + 8 + 64:
                continue
            timestamp = int.from_bytes(raw[4:12], "big")
            message = f"cosignature/v1\ntime {timestamp}\n".encode() + body
            try:
                witness.public.verify(raw[12:], message)
            except InvalidSignature:
                raise PolicyFailure(f"The cosignature by {witness.name} is INVALID: the checkpoint was "
                                    f"altered after it was cosigned, or the line is forged.") from None
            if timestamp >= 2**63 or timestamp > now + FUTURE_LEEWAY:
                raise PolicyFailure(f"The cosignature by {witness.name} is dated in the future.")
            found[witness.name] = Cosigned(witness.name, timestamp)
    return found


@dataclass(frozen=True)
class Policy:
    witnesses: list[WitnessKey]
    required: int

    @classmethod
    def from_keys(cls, keys: list[str], required: int | None = None) -> Policy:
        witnesses = [parse_witness_key(key) for key in keys]
        required = len(witnesses) if required is None else required
        if not 0 < required <= len(witnesses):
            raise PolicyFailure(f"The policy asks for {required} cosignature(s) among "
                                f"{len(witnesses)} witness key(s): give at least that many keys.")
        return cls(witnesses, required)

    def check(self, note: str, *, now: int | None = None) -> list[Cosigned]:
        """The witnesses that vouch for the checkpoint; PolicyFailure naming the missing ones."""
        now = int(dt.datetime.now(dt.UTC).timestamp()) if now is None else now
        found = cosignatures(note, self.witnesses, now=now)
        if len(found) < self.required:
            missing = [w.name for w in self.witnesses if w.name not in found]
            raise PolicyFailure(
                f"The checkpoint has {len(found)} of the {self.required} witness cosignature(s) the "
                f"policy requires; missing: {', '.join(missing)}"
                + (f" (cosigned by: {', '.join(found)})." if found else "."))
        return list(found.values())

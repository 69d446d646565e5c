"""Asking witnesses to cosign the log's checkpoints (C2SP tlog-witness), and what they vouched for.

Every new checkpoint is sent to the witnesses in `LOG_WITNESSES` with a
consistency proof from the last size each one cosigned. A witness answers
with a cosignature (kept, once verified, and served with the checkpoint) or
refuses: a `409` says which size it last saw, and the request is sent again
with the proof from there; a witness that cannot be reached is tried again a
bounded number of times (`LOG_WITNESS_ATTEMPTS`, each within
`LOG_WITNESS_TIMEOUT_SECONDS`), then on the next beat, since a round only
asks the witnesses that have not cosigned the latest checkpoint yet.

Witness URLs are set by the operator, not by users, but the POST still goes
through the outbound guard (tracker.outbound): no redirects, a wall-clock
limit, a size limit, never the metadata address. A witness on a private
network or on this machine needs `OUTBOUND_ALLOW_PRIVATE_TARGETS`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from record.aftercommit import after_commit
from record.models import LogCheckpoint
from tracker import outbound

from . import proofs
from .models import Cosignature
from .signals import checkpoint_published

logger = logging.getLogger(__name__)

COSIGNATURE_V1 = b"\x04"  # the signed-note signature type of timestamped Ed25519 cosignatures
MAX_ANSWER_BYTES = 16 * 1024
SIZE_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class Witness:
    """A configured witness: where to POST, and the verifier key its cosignatures must verify with."""

    url: str
    key: str
    name: str
    key_id: bytes
    public: Ed25519PublicKey

    @property
    def endpoint(self) -> str:
        return self.url.rstrip("/") + "/add-checkpoint"


@dataclass(frozen=True)
class Asked:
    """What one witness did with one checkpoint: `cosigned`, `refused` or `unreachable`."""

    witness: str
    outcome: str
    detail: str = ""


def parse_witness(url: str, key: str) -> Witness:
    parts = key.strip().split("+", 2)
    try:
        raw = base64.b64decode(parts[2], validate=True) if len(parts) == 3 else b""
        key_id = bytes.fromhex(parts[1]) if len(parts) == 3 else b""
    except ValueError:
        raw = key_id = b""
    if raw[:1] != COSIGNATURE_V1 or len(raw) != 33 or key_id != hashlib.sha256(
            parts[0].encode() + b"\n" + raw).digest()[:4]:
        raise ImproperlyConfigured(f"LOG_WITNESSES: {key!r} is not a cosignature/v1 witness verifier key "
                                   "(<name>+<key id>+<base64(0x04 || Ed25519 key)>; witness.py keygen).")
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"LOG_WITNESSES: {url!r} is not an http(s) URL.")
    return Witness(url, key.strip(), parts[0], key_id, Ed25519PublicKey.from_public_bytes(raw[1:]))


def configured_witnesses() -> list[Witness]:
    """`LOG_WITNESSES`: entries `<URL> <verifier key>`, separated by commas or newlines."""
    text = getattr(settings, "LOG_WITNESSES", "") or ""
    witnesses = []
    for entry in text.replace("\n", ",").split(","):
        if entry.strip():
            fields = entry.split()
            if len(fields) != 2:
                raise ImproperlyConfigured(f"LOG_WITNESSES: {entry.strip()!r} is not '<URL> <verifier key>'.")
            witnesses.append(parse_witness(*fields))
    return witnesses


def note_body(note: str) -> str:
    """The checkpoint text of a signed note (through its final newline, without signatures)."""
    return note[:note.rindex("\n\n") + 1]


def verified_line(witness: Witness, answer: str, body: str) -> tuple[str, int] | None:
    """The witness's valid cosignature line in its answer, with its timestamp; None if there is none."""
    for line in answer.split("\n"):
        fields = line.split(" ")
        if len(fields) != 3 or fields[0] != "\u2014" or fields[1] != witness.name:
            continue
        try:
            raw = base64.b64decode(fields[2], validate=True)
        except ValueError:
            continue
        if len(raw) != 76 or raw[:4] != witness.key_id:
            continue
        timestamp = int.from_bytes(raw[4:12], "big")
        try:
            witness.public.verify(raw[12:], f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode())
        except InvalidSignature:
            continue
        return line + "\n", timestamp
    return None


def request_body(checkpoint: LogCheckpoint, old: int) -> bytes:
    proof = proofs.consistency_proof(old, checkpoint.size) if 0 < old < checkpoint.size else []
    lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof), "", ""]
    return "\n".join(lines).encode() + checkpoint.note.encode()


def last_cosigned_size(witness: Witness) -> int:
    """Where to start: the largest checkpoint this witness cosigned for us (0 when none; a 409 corrects)."""
    found = (Cosignature.objects.filter(witness_key=witness.key)
             .order_by("-checkpoint_id").values_list("checkpoint_id", flat=True).first())
    return found or 0


def _post(witness: Witness, body: bytes) -> outbound.Fetched:
    return outbound.request("POST", witness.endpoint, body=body,
                            headers={"Content-Type": "text/plain; charset=utf-8"},
                            timeout=settings.LOG_WITNESS_TIMEOUT_SECONDS, max_bytes=MAX_ANSWER_BYTES,
                            user_agent="tracker-log/1")


def _store(checkpoint: LogCheckpoint, witness: Witness, line: str, timestamp: int) -> None:
    try:
        with transaction.atomic():
            Cosignature.objects.create(
                checkpoint=checkpoint, witness=witness.name, witness_key=witness.key, line=line,
                cosigned_at=dt.datetime.fromtimestamp(timestamp, dt.UTC), received_at=timezone.now())
    except IntegrityError:  # another round stored this witness's cosignature first
        return
    # The served note (/log/checkpoint) gained a line: the edge's copy is purged.
    after_commit(lambda: checkpoint_published.send(sender=LogCheckpoint, checkpoint=checkpoint))


def request_cosignatures(checkpoint: LogCheckpoint) -> list[Asked]:
    """Ask every configured witness that has not cosigned `checkpoint` yet; keep what they sign.

    The witnesses are asked at once (one thread each, only for the HTTP);
    proofs are read and cosignatures stored here, on this thread's connection.
    """
    configured = configured_witnesses()
    if not configured:
        return []
    have = set(Cosignature.objects.filter(checkpoint=checkpoint).values_list("witness_key", flat=True))
    pending = {w.key: w for w in configured if w.key not in have}
    old = {key: min(last_cosigned_size(w), checkpoint.size) for key, w in pending.items()}
    body = note_body(checkpoint.note)
    done: list[Asked] = []
    last_error: dict[str, str] = {}
    for _attempt in range(max(1, settings.LOG_WITNESS_ATTEMPTS)):
        if not pending:
            break
        requests = {key: request_body(checkpoint, old[key]) for key in pending}
        with ThreadPoolExecutor(max_workers=len(pending)) as pool:
            asked = [pool.submit(_post, pending[key], requests[key]) for key in pending]
            answers = dict(zip(pending, [future.result() for future in asked], strict=True))
        for key, fetched in answers.items():
            witness = pending[key]
            text = fetched.body.decode("utf-8", "replace")
            if fetched.status_code == 200 and (found := verified_line(witness, text, body)):
                _store(checkpoint, witness, *found)
                done.append(Asked(witness.name, "cosigned"))
                del pending[key]
            elif fetched.status_code == 409 and fetched.header("Content-Type").startswith(SIZE_TYPE) \
                    and _resync(checkpoint, old, key, text):
                last_error[key] = f"409: it had cosigned size {text.strip()}; sent again from there"
            elif fetched.status_code is None or fetched.status_code >= 500:
                last_error[key] = fetched.error or f"HTTP {fetched.status_code}"
            else:
                detail = f"HTTP {fetched.status_code}: {text.strip()[:200]}"
                logger.warning("Witness %s refused checkpoint %s: %s", witness.name, checkpoint.size, detail)
                done.append(Asked(witness.name, "refused", detail))
                del pending[key]
    for key, witness in pending.items():
        logger.warning("Witness %s did not cosign checkpoint %s: %s", witness.name, checkpoint.size,
                       last_error.get(key, ""))
        done.append(Asked(witness.name, "unreachable", last_error.get(key, "")))
    return done


def _resync(checkpoint: LogCheckpoint, old: dict[str, int], key: str, text: str) -> bool:
    """Start from the size a 409 reports, if it is one we signed and not beyond this checkpoint."""
    reported = text.strip()
    if not (reported.isascii() and reported.isdigit()) or int(reported) > checkpoint.size \
            or int(reported) == old[key] or not (int(reported) == 0 or LogCheckpoint.objects.filter(
                size=int(reported)).exists()):
        return False
    old[key] = int(reported)
    return True


def witnesses_asked() -> bool:
    return bool((getattr(settings, "LOG_WITNESSES", "") or "").strip())


def vouching(checkpoint: LogCheckpoint | None) -> list[Cosignature]:
    """The witnesses' cosignatures on a checkpoint, for the public pages."""
    if checkpoint is None:
        return []
    return list(Cosignature.objects.filter(checkpoint=checkpoint).order_by("witness"))

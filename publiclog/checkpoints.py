"""Signed checkpoints of the log: C2SP tlog-checkpoint bodies in C2SP signed notes, Ed25519.

A checkpoint says "the log named <origin> had <size> leaves with root <hash>";
the signature line makes the log answerable for it: a later checkpoint that
is not consistent with it is proof of a rewritten history. The signing key is
`LOG_SIGNING_KEY` (or the file `LOG_SIGNING_KEY_FILE`), in the note signer
format `PRIVATE+KEY+<name>+<key id hex>+<base64(0x01 || seed)>`; the key name
is the log's origin line. Every checkpoint is kept: readers ask for old ones.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from record import tree
from record.aftercommit import after_commit
from record.models import LogCheckpoint

from . import proofs, tiles
from .signals import checkpoint_published

ED25519 = b"\x01"  # the signed-note signature type of Ed25519


@dataclass(frozen=True)
class SigningKey:
    name: str
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(self.name.encode() + b"\n" + ED25519 + self.public_bytes).digest()[:4]

    def verifier(self) -> str:
        """The note verifier key: `<name>+<key id hex>+<base64(0x01 || public key)>`."""
        encoded = base64.b64encode(ED25519 + self.public_bytes).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def signer(self) -> str:
        seed = self.private.private_bytes_raw()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{base64.b64encode(ED25519 + seed).decode()}"

    def sign_note(self, text: str) -> str:
        """`text` (ending in a newline) as a signed note with this key's signature line."""
        signature = self.private.sign(text.encode())
        return f"{text}\n\u2014 {self.name} {base64.b64encode(self.key_id + signature).decode()}\n"


def generate_key(name: str) -> SigningKey:
    if not name or any(c in name for c in "+ \n"):
        raise ValueError("A key name is non-empty and has no '+', space or newline.")
    return SigningKey(name, Ed25519PrivateKey.generate())


def parse_signer(text: str) -> SigningKey:
    parts = text.strip().split("+", 4)  # base64 may hold "+"
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise ImproperlyConfigured("LOG_SIGNING_KEY is not a note signer key (PRIVATE+KEY+name+id+key).")
    raw = base64.b64decode(parts[4])
    if raw[:1] != ED25519 or len(raw) != 33:
        raise ImproperlyConfigured("LOG_SIGNING_KEY is not an Ed25519 key.")
    key = SigningKey(parts[2], Ed25519PrivateKey.from_private_bytes(raw[1:]))
    if key.key_id.hex() != parts[3]:
        raise ImproperlyConfigured("LOG_SIGNING_KEY's key id does not match its key.")
    return key


def signing_key() -> SigningKey:
    text = getattr(settings, "LOG_SIGNING_KEY", "")
    path = getattr(settings, "LOG_SIGNING_KEY_FILE", "")
    if not text and path:
        text = Path(path).read_text()
    if not text:
        raise ImproperlyConfigured("Set LOG_SIGNING_KEY or LOG_SIGNING_KEY_FILE to sign the log "
                                   "(manage.py log_keygen makes one).")
    return parse_signer(text)


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The tlog-checkpoint text: origin, decimal tree size, base64 root hash."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def publish_checkpoint() -> LogCheckpoint | None:
    """Sign the tree as it stands, unless that size is signed already; None for an empty log."""
    size = tree.tree_size()
    return sign_checkpoint(size) if size else None


def sign_checkpoint(size: int) -> LogCheckpoint:
    """The signed checkpoint of the first `size` leaves (made now if there is none yet)."""
    key = signing_key()
    existing = LogCheckpoint.objects.filter(size=size).first()
    if existing:
        return existing
    root = proofs.root(size)
    note = key.sign_note(checkpoint_body(key.name, size, root))
    try:
        with transaction.atomic():
            checkpoint = LogCheckpoint.objects.create(size=size, root=root, note=note,
                                                      created_at=timezone.now())
    except IntegrityError:  # another worker signed the same size first
        return LogCheckpoint.objects.get(size=size)
    # The tiles it signs are stored before anyone reads them from it (the commit-time
    # receiver stores them too; this catches logs filled in bulk), then the edge is told.
    tiles.store_full_tiles(size)
    after_commit(lambda: checkpoint_published.send(sender=LogCheckpoint, checkpoint=checkpoint))
    return checkpoint


def latest_checkpoint() -> LogCheckpoint | None:
    return LogCheckpoint.objects.order_by("-size").first()


def checkpoint_at(size: int) -> LogCheckpoint | None:
    return LogCheckpoint.objects.filter(size=size).first()


def served_note(checkpoint: LogCheckpoint) -> str:
    """The signed checkpoint as served: the log's note with the witnesses' cosignature lines added.

    A signed note may carry many signatures; a reader's verifier ignores the
    ones by keys it does not know, so adding cosignatures changes nothing for
    a reader who requires none (C2SP tlog-witness, "move the valid signatures
    to its own view of the checkpoint").
    """
    lines = checkpoint.cosignatures.order_by("witness").values_list("line", flat=True)
    return checkpoint.note + "".join(lines)

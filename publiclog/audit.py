"""The operator's check of the public log: every leaf against the database, the tree, the signatures.

What `manage.py verify_log` runs. It trusts nothing the server stored about
the tree: each revision's leaf is recomputed from its version rows now, the
roots are recomputed from the leaves, and each checkpoint's signature is
checked with the configured key. A problem names the revision it is about.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature

from archive.models import Capture
from archive.warc import payload_sha256
from events.models import Source
from record import merkle
from record.leaves import entry_for, revision_lines
from record.models import LogCheckpoint, LogLeaf, Revision

from . import proofs, tiles
from .checkpoints import SigningKey, checkpoint_body, signing_key

_CHUNK = 500


@dataclass
class Audit:
    leaves: int = 0
    checkpoints: int = 0
    tiles: int = 0
    warcs: int = 0
    problems: list[str] = field(default_factory=list)


def _check_leaves(audit: Audit) -> list[bytes]:
    """Recompute each revision's leaf; returns the stored leaf hashes in index order."""
    hashes: list[bytes] = []
    last_id = 0
    revisions = Revision.objects.select_related("author", "log_leaf").order_by("id")
    while batch := list(revisions.filter(id__gt=last_id)[:_CHUNK]):
        for rev, line in zip(batch, revision_lines(batch), strict=True):
            leaf = getattr(rev, "log_leaf", None)
            if leaf is None:
                audit.problems.append(f"revision {rev.id} has no leaf in the log.")
                continue
            if leaf.index != len(hashes):
                audit.problems.append(f"revision {rev.id} is leaf {leaf.index}, expected leaf "
                                      f"{len(hashes)}: the leaves are not in revision order.")
            data, entry, stored = bytes(leaf.data), bytes(leaf.entry), bytes(leaf.hash)
            if merkle.leaf_hash(entry) != stored:
                audit.problems.append(f"revision {rev.id} (leaf {leaf.index}): the stored entry "
                                      f"does not hash to the stored leaf hash.")
            if entry != entry_for(rev.id, data):
                audit.problems.append(f"revision {rev.id} (leaf {leaf.index}): the stored entry does "
                                      f"not commit to the stored line (its SHA-256 or revision differs).")
            if line.encode() != data:
                audit.problems.append(f"revision {rev.id} (leaf {leaf.index}) was altered: its "
                                      f"versions in the database no longer match its leaf.")
            hashes.append(stored)
        last_id = batch[-1].id
    orphans = LogLeaf.objects.count() - len(hashes)
    if orphans:
        audit.problems.append(f"{orphans} leaf/leaves belong to no revision left in the database.")
    audit.leaves = len(hashes)
    return hashes


def _check_signature(key: SigningKey, checkpoint: LogCheckpoint) -> str | None:
    body = checkpoint_body(key.name, checkpoint.size, bytes(checkpoint.root))
    text, _, signatures = checkpoint.note.partition("\n\n")
    if text + "\n" != body:
        return f"checkpoint {checkpoint.size}: its note does not say what the checkpoint row says."
    prefix = f"\u2014 {key.name} "
    for line in signatures.splitlines():
        if not line.startswith(prefix):
            continue
        raw = base64.b64decode(line[len(prefix):])
        if raw[:4] != key.key_id:
            continue
        try:
            key.private.public_key().verify(raw[4:], body.encode())
        except InvalidSignature:
            return f"checkpoint {checkpoint.size}: the signature does not verify."
        return None
    return f"checkpoint {checkpoint.size}: no signature by {key.name}."


def _check_checkpoints(audit: Audit, hashes: list[bytes]) -> None:
    key = signing_key()
    sizes = {cp.size: cp for cp in LogCheckpoint.objects.order_by("size")}
    audit.checkpoints = len(sizes)
    stack: list[tuple[int, bytes]] = []  # (level, hash) of perfect subtrees, the compact range
    for count, digest in enumerate(hashes, start=1):
        level, current = 0, digest
        while stack and stack[-1][0] == level:
            current = merkle.node_hash(stack.pop()[1], current)
            level += 1
        stack.append((level, current))
        checkpoint = sizes.get(count)
        if checkpoint is None:
            continue
        recomputed = proofs.fold([h for _, h in stack])
        if recomputed != bytes(checkpoint.root):
            audit.problems.append(f"checkpoint {count}: its root is not the root of the first "
                                  f"{count} leaves: the log before it was rewritten.")
        elif proofs.root(count) != recomputed:
            audit.problems.append(f"the stored tree disagrees with the leaves at size {count}.")
    for size, checkpoint in sizes.items():
        if size > len(hashes):
            audit.problems.append(f"checkpoint {size} signs more leaves than the log has "
                                  f"({len(hashes)}): leaves were deleted.")
        problem = _check_signature(key, checkpoint)
        if problem:
            audit.problems.append(problem)


def _cited_hashes() -> dict[tuple[int, object], set[str]]:
    """{(source id, archived_at): the SHA-256s its versions hold for the capture cited then}."""
    held: dict[tuple[int, object], set[str]] = {}
    rows = (Source.history.model.objects.exclude(archived_at=None)
            .values_list("id", "archived_at", "archive_sha256").distinct())
    for source_id, archived_at, sha256 in rows.iterator():
        held.setdefault((source_id, archived_at), set()).add(sha256)
    return held


def _check_warcs(audit: Audit) -> None:
    """Hash every kept WARC's payload as stored now, against what the log holds for it.

    A capture at citation is named by its source's version (archived_at and
    archive_sha256, in the revision's leaf); a capture that found the page
    changed by its row and its capture revision's message. Each file is read
    a chunk at a time.
    """
    held = _cited_hashes()
    kept = Capture.objects.exclude(warc="").order_by("id")
    for capture in kept.iterator(chunk_size=_CHUNK):
        audit.warcs += 1
        about = f"source {capture.source_id}, capture {capture.pk} ({capture.warc.name})"
        try:
            with capture.warc.open("rb") as stream:
                computed = payload_sha256(stream)
        except (OSError, ValueError) as exc:
            audit.problems.append(f"{about}: the WARC file cannot be read ({exc}).")
            continue
        expected = held.get((capture.source_id, capture.captured_at), set())
        if capture.outcome != Capture.Outcome.CAPTURED or not expected:
            expected = {capture.sha256}
        if computed not in expected:
            audit.problems.append(f"{about}: the stored WARC hashes to {computed}, its source's version "
                                  f"holds {', '.join(sorted(expected))}: the evidence was swapped.")


def audit_log() -> Audit:
    """Check the log and the kept evidence; no `problems`: each leaf, checkpoint, stored tile, WARC holds."""
    audit = Audit()
    hashes = _check_leaves(audit)
    _check_checkpoints(audit, hashes)
    audit.tiles, problems = tiles.check_stored_tiles()
    audit.problems += problems
    _check_warcs(audit)
    return audit

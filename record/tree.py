"""The log's Merkle tree in the database: append a revision's leaf, read roots and proofs.

Every perfect subtree's hash is stored once (`LogNode`, keyed by level and
index), so appending reads at most one row per level (the left siblings that
the new leaf completes) and a root or a proof reads O(log n) nodes in one
query: nothing is ever rebuilt. Proofs are only given against sizes that were
checkpointed (record.checkpoints), so what a reader checks is always signed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from . import merkle
from .leaves import leaf_bytes
from .models import LogCheckpoint, LogLeaf, LogNode, Revision

_INDEX_BITS = 40


class ProofError(ValueError):
    """A proof was asked for leaves or sizes the log cannot prove (message says why)."""


def node_key(level: int, index: int) -> int:
    return level << _INDEX_BITS | index


def tree_enabled() -> bool:
    # Only the benchmark switches it off, to measure what the tree costs a write.
    return getattr(settings, "LOG_TREE", True)


def tree_size() -> int:
    """Leaves in the log now (dense indexes 0..size-1)."""
    last = LogLeaf.objects.order_by("-index").values_list("index", flat=True).first()
    return 0 if last is None else last + 1


def _nodes(nodes: list[merkle.Node]) -> dict[merkle.Node, bytes]:
    keys = {node_key(*node): node for node in nodes}
    found = {keys[key]: bytes(value) for key, value in
             LogNode.objects.filter(key__in=list(keys)).values_list("key", "hash")}
    missing = set(nodes) - set(found)
    if missing:
        raise ProofError(f"the tree is missing {len(missing)} node(s), e.g. {min(missing)}")
    return found


def append_leaf(rev: Revision, *, models: Iterable | None = None, index: int | None = None) -> LogLeaf:
    """Give `rev` the next leaf: called under the revision lock, after its versions and links.

    `index` is the caller's knowledge of the next index (the previous
    revision's leaf + 1), which saves a query; `models` the versioned models
    the revision wrote.
    """
    if index is None:
        index = tree_size()
    data = leaf_bytes(rev, models=models)
    digest = merkle.leaf_hash(data)
    siblings = []
    level = 0
    while (index >> level) & 1:
        siblings.append((level, (index >> level) - 1))
        level += 1
    found = _nodes(siblings) if siblings else {}
    rows = [LogNode(key=node_key(0, index), hash=digest)]
    current = digest
    for level, sibling in siblings:
        current = merkle.node_hash(found[(level, sibling)], current)
        rows.append(LogNode(key=node_key(level + 1, sibling >> 1), hash=current))
    leaf = LogLeaf.objects.create(index=index, revision=rev, data=data, hash=digest)
    LogNode.objects.bulk_create(rows)
    return leaf


def catch_up(*, before: int) -> int:
    """Give every revision older than `before` without a leaf its leaf, in id order.

    Under the revision lock. Returns the next free leaf index.
    """
    index = tree_size()
    missing = Revision.objects.filter(id__lt=before, log_leaf__isnull=True).select_related("author")
    for rev in missing.order_by("id").iterator(chunk_size=500):
        append_leaf(rev, index=index)
        index += 1
    return index


def root(size: int) -> bytes:
    """The RFC 9162 root of the first `size` leaves."""
    return merkle.range_hashes([(0, size)], _nodes)[0] if size else merkle.EMPTY_ROOT


def _checkpointed(size: int, name: str) -> None:
    if not LogCheckpoint.objects.filter(size=size).exists():
        raise ProofError(f"{name}={size} was never checkpointed: proofs are only given against "
                         f"the tree sizes of signed checkpoints (see /api/log/checkpoint).")


def inclusion_proof(index: int, size: int) -> list[bytes]:
    _checkpointed(size, "size")
    if not 0 <= index < size:
        raise ProofError(f"index={index} is not a leaf of the tree of {size} leaves "
                         f"(leaves are numbered 0 to {size - 1}).")
    return merkle.range_hashes(merkle.inclusion_ranges(index, size), _nodes)


def consistency_proof(old: int, new: int) -> list[bytes]:
    if old > new:
        raise ProofError(f"from={old} is larger than to={new}: a log only grows.")
    if old < 1:
        raise ProofError("from must be at least 1: every tree is consistent with the empty one.")
    _checkpointed(old, "from")
    _checkpointed(new, "to")
    return merkle.range_hashes(merkle.consistency_ranges(old, new), _nodes)


def leaf_at(index: int) -> LogLeaf | None:
    return LogLeaf.objects.filter(index=index).first()


def leaves_between(start: int, end: int) -> list[LogLeaf]:
    return list(LogLeaf.objects.filter(index__gte=start, index__lt=end).order_by("index"))

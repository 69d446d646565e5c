"""Proofs from the public log: roots, inclusion and consistency proofs (RFC 9162), leaves by index.

The tree itself is written by the record core (record.tree, under the revision
lock); everything here reads it. Proofs are only given against sizes that
were checkpointed (publiclog.checkpoints), so what a reader checks is always signed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from record.merkle import EMPTY_ROOT, Node, node_hash, perfect_nodes
from record.models import LogCheckpoint, LogLeaf
from record.tree import ProofError, stored_nodes

__all__ = ["ProofError", "consistency_proof", "inclusion_proof", "leaf_at", "leaves_between", "root"]


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def fold(hashes: list[bytes]) -> bytes:
    """The hash of a range from its perfect subtrees' hashes (RFC 9162's MTH)."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), in proof order."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo = lo + k
    return ranges[::-1]  # the recursion appends on the way out: deepest first


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The ranges whose hashes form PROOF(old, D[0:new]) (RFC 9162 §2.1.4.1), in proof order."""
    if not 0 < old <= new:
        raise ValueError(f"no consistency proof from {old} to {new} leaves")
    ranges: list[tuple[int, int]] = []
    m, lo, hi, complete = old, 0, new, True
    while m != hi - lo:
        k = split_point(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            m, lo, complete = m - k, lo + k, False
    if not complete:
        ranges.append((lo, hi))
    return ranges[::-1]


def range_hashes(ranges: Iterable[tuple[int, int]], lookup: Callable[[list[Node]], dict[Node, bytes]]
                 ) -> list[bytes]:
    """Each range's hash, with every perfect subtree needed asked of `lookup` in one call."""
    ranges = list(ranges)
    parts = [perfect_nodes(lo, hi) for lo, hi in ranges]
    found = lookup(sorted({node for nodes in parts for node in nodes}))
    return [fold([found[node] for node in nodes]) for nodes in parts]


def root(size: int) -> bytes:
    """The RFC 9162 root of the first `size` leaves."""
    return range_hashes([(0, size)], stored_nodes)[0] if size else EMPTY_ROOT


def _checkpointed(size: int, name: str) -> None:
    if not LogCheckpoint.objects.filter(size=size).exists():
        raise ProofError(f"{name}={size} was never checkpointed: proofs are only given against "
                         f"the tree sizes of signed checkpoints (see /api/log/checkpoint).")


def inclusion_proof(index: int, size: int) -> list[bytes]:
    _checkpointed(size, "size")
    if not 0 <= index < size:
        raise ProofError(f"index={index} is not a leaf of the tree of {size} leaves "
                         f"(leaves are numbered 0 to {size - 1}).")
    return range_hashes(inclusion_ranges(index, size), stored_nodes)


def consistency_proof(old: int, new: int) -> list[bytes]:
    if old > new:
        raise ProofError(f"from={old} is larger than to={new}: a log only grows.")
    if old < 1:
        raise ProofError("from must be at least 1: every tree is consistent with the empty one.")
    _checkpointed(old, "from")
    _checkpointed(new, "to")
    return range_hashes(consistency_ranges(old, new), stored_nodes)


def leaf_at(index: int) -> LogLeaf | None:
    return LogLeaf.objects.filter(index=index).first()


def leaves_between(start: int, end: int) -> list[LogLeaf]:
    return list(LogLeaf.objects.filter(index__gte=start, index__lt=end).order_by("index"))

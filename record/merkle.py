"""RFC 9162 §2.1 Merkle tree hashing and proof shapes, over ranges of leaves.

Pure functions, no storage: `record.tree` keeps the hashes of the tree's
perfect subtrees and asks here which of them a root or a proof needs.
A range `(lo, hi)` means leaves lo..hi-1. The tree of n leaves splits at the
largest power of two smaller than n (RFC 9162 §2.1.1); every range that the
recursion visits is therefore a run of perfect, aligned subtrees whose sizes
shrink left to right, and its hash is their right fold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() of nothing

Node = tuple[int, int]  # (level, index): leaves index*2**level .. (index+1)*2**level - 1


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def perfect_nodes(lo: int, hi: int) -> list[Node]:
    """The aligned perfect subtrees that make up range (lo, hi), left to right."""
    nodes = []
    while lo < hi:
        level = (lo & -lo).bit_length() - 1 if lo else (hi - lo).bit_length() - 1
        while lo + (1 << level) > hi:
            level -= 1
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


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

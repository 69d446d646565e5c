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

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256() of nothing

Node = tuple[int, int]  # (level, index): leaves index*2**level .. (index+1)*2**level - 1


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


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

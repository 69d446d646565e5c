"""RFC 9162 §2.1 hashing and proofs: the reference vectors, and an independent recursive definition."""

from __future__ import annotations

import hashlib

import pytest

from publiclog import proofs
from record import merkle

# The 8-leaf reference tree of the RFC 6962 C++/Go implementations
# (transparency-dev/merkle, testonly/reference_test.go).
LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]
ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
INCLUSION = {  # (index, size): proof
    (0, 1): [],
    (0, 2): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"],
    (1, 2): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}
CONSISTENCY = {  # (old, new): proof
    (1, 1): [],
    (1, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
    (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
    (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
             "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
             "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
}


# --- RFC 9162 §2.1, written as the RFC writes it (no shared code) ---------------

def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + mth(d[:k]) + mth(d[k:])).digest()


def path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) <= 1:
        return []
    k = _k(len(d))
    return path(m, d[:k]) + [mth(d[k:])] if m < k else path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [mth(d)]
    k = _k(len(d))
    return subproof(m, d[:k], b) + [mth(d[k:])] if m <= k else subproof(m - k, d[k:], False) + [mth(d[:k])]


def _lookup(leaves: list[bytes]):
    def lookup(nodes):
        return {(level, i): mth(leaves[i << level:(i + 1) << level]) for level, i in nodes}
    return lookup


def _root(leaves: list[bytes], size: int) -> bytes:
    return proofs.range_hashes([(0, size)], _lookup(leaves))[0]


# --- the tests ------------------------------------------------------------------

@pytest.mark.parametrize("size", sorted(ROOTS))
def test_roots_match_the_reference_tree(size):
    assert _root(LEAVES, size).hex() == ROOTS[size]
    assert mth(LEAVES[:size]).hex() == ROOTS[size]


def test_the_empty_tree_hashes_to_sha256_of_nothing():
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_inclusion_proofs_match_the_reference_vectors(index, size):
    proof = proofs.range_hashes(proofs.inclusion_ranges(index, size), _lookup(LEAVES))
    assert [h.hex() for h in proof] == INCLUSION[(index, size)]


@pytest.mark.parametrize(("old", "new"), sorted(CONSISTENCY))
def test_consistency_proofs_match_the_reference_vectors(old, new):
    proof = proofs.range_hashes(proofs.consistency_ranges(old, new), _lookup(LEAVES))
    assert [h.hex() for h in proof] == CONSISTENCY[(old, new)]


def test_every_proof_up_to_33_leaves_matches_the_rfc_recursion():
    leaves = [f"leaf {i}".encode() for i in range(33)]
    lookup = _lookup(leaves)
    for size in range(1, 34):
        assert _root(leaves, size) == mth(leaves[:size])
        for index in range(size):
            proof = proofs.range_hashes(proofs.inclusion_ranges(index, size), lookup)
            assert proof == path(index, leaves[:size])
        for old in range(1, size):
            assert proofs.range_hashes(proofs.consistency_ranges(old, size), lookup) == \
                subproof(old, leaves[:size], True)


def test_a_leaf_outside_the_tree_has_no_proof():
    with pytest.raises(ValueError):
        proofs.inclusion_ranges(8, 8)
    with pytest.raises(ValueError):
        proofs.consistency_ranges(5, 4)

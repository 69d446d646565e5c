"""Reading a log served as C2SP tlog-tiles: tiles and entry bundles turned into RFC 9162 proofs.

Standalone (Python 3.11+ and `cryptography`), like every file in tools/.
Nothing fetched here is trusted: the hashes read from tiles only form
proofs, and the proofs are checked against a signed checkpoint's root by the
RFC 9162 algorithms (tlog_core). A tile at level L holds the hashes of
perfect subtrees of 256**L leaves; the tile that holds a subtree of any
height is found by dividing its height by 8, so one inclusion proof reads at
most one tile per level on each side of the path (about 4 tiles at 100,000
leaves) and the leaf's entry bundle.
"""

from __future__ import annotations

from collections.abc import Callable

from .tlog_core import Failure, consistency_ranges, fold, inclusion_ranges, node_hash, perfect_nodes

HEIGHT = 8
WIDTH = 256
HASH_SIZE = 32


def encode_index(index: int) -> str:
    """3-digit groups, every group but the last prefixed `x`: 1234067 -> x001/x234/067."""
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])


def tile_path(level: int | str, index: int, width: int) -> str:
    """The path (under the prefix) of tile `index` at `level` (or "entries") holding `width` items."""
    suffix = "" if width == WIDTH else f".p/{width}"
    return f"tile/{level}/{encode_index(index)}{suffix}"


def width_at(level: int, index: int, size: int) -> int:
    """How many hashes tile `index` of `level` holds in a tree of `size` leaves (0: none)."""
    return max(0, min(WIDTH, (size >> (HEIGHT * level)) - index * WIDTH))


def split_bundle(data: bytes) -> list[bytes]:
    """The entries of an entry bundle: each a big-endian uint16 length, then that many bytes."""
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise Failure("An entry bundle ends inside a length prefix.")
        length = int.from_bytes(data[at:at + 2], "big")
        at += 2
        if at + length > len(data):
            raise Failure("An entry bundle ends inside an entry.")
        entries.append(data[at:at + length])
        at += length
    return entries


class Tiles:
    """The tiles of one tree size, fetched on demand (each path at most once) with `get(path) -> bytes`."""

    def __init__(self, get: Callable[[str], bytes], size: int) -> None:
        self.get, self.size = get, size
        self.requests = 0
        self._cache: dict[str, bytes] = {}

    def _fetch(self, path: str) -> bytes:
        if path not in self._cache:
            self.requests += 1
            self._cache[path] = self.get(path)
        return self._cache[path]

    def hashes(self, level: int, index: int) -> list[bytes]:
        width = width_at(level, index, self.size)
        if not width:
            raise Failure(f"A tree of {self.size} leaves has no tile {index} at level {level}.")
        data = self._fetch(tile_path(level, index, width))
        if len(data) != width * HASH_SIZE:
            path = tile_path(level, index, width)
            raise Failure(f"Tile {path} is {len(data)} bytes, not {width * HASH_SIZE}.")
        return [data[i:i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]

    def entries(self, index: int) -> list[bytes]:
        width = width_at(0, index, self.size)
        if not width:
            raise Failure(f"A tree of {self.size} leaves has no entry bundle {index}.")
        path = tile_path("entries", index, width)
        found = split_bundle(self._fetch(path))
        if len(found) != width:
            raise Failure(f"Entry bundle {path} holds {len(found)} entries, not {width}.")
        return found

    def entry(self, leaf: int) -> bytes:
        return self.entries(leaf // WIDTH)[leaf % WIDTH]

    def node(self, level: int, index: int) -> bytes:
        """The hash of the perfect subtree of 2**level leaves at position `index`."""
        tile_level, below = divmod(level, HEIGHT)
        first, count = index << below, 1 << below  # its hashes in the tiles of `tile_level`
        hashes = self.hashes(tile_level, first // WIDTH)
        part = hashes[first % WIDTH:first % WIDTH + count]
        if len(part) != count:
            raise Failure(f"The tiles lack the subtree {level}/{index} of a tree of {self.size} leaves.")
        while len(part) > 1:
            part = [node_hash(part[i], part[i + 1]) for i in range(0, len(part), 2)]
        return part[0]

    def range_hash(self, lo: int, hi: int) -> bytes:
        return fold([self.node(level, index) for level, index in perfect_nodes(lo, hi)])

    def root(self) -> bytes:
        return self.range_hash(0, self.size)

    def inclusion_proof(self, leaf: int) -> list[bytes]:
        return [self.range_hash(lo, hi) for lo, hi in inclusion_ranges(leaf, self.size)]

    def consistency_proof(self, old: int) -> list[bytes]:
        return [self.range_hash(lo, hi) for lo, hi in consistency_ranges(old, self.size)]

    def all_entries(self):
        """Every entry of the tree, in order, a bundle at a time."""
        for index in range((self.size + WIDTH - 1) // WIDTH):
            yield from self.entries(index)

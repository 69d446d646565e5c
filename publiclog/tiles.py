"""The log as C2SP tlog-tiles: hash tiles and entry bundles, read from the tree, full ones stored once.

A tile at level L holds the hashes of consecutive perfect subtrees of
256**L leaves (the tree's nodes at height 8L), 256 to a full tile; an entry
bundle holds the entries of 256 consecutive leaves, each a big-endian uint16
length then the entry's bytes (record.leaves.entry_for keeps entries far
below 65,535 bytes). Every tile's hashes are already in the tree
(record.tree keeps every perfect subtree), so any tile, full or partial, is
one range read. A tile that fills is also stored as bytes (`LogTile`,
append-only: never rewritten) so that its bytes, once served as immutable,
stay the bytes; `check_stored_tiles` compares them with the tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from record.models import LogLeaf, LogNode, LogTile
from record.tree import node_key, tree_size

HEIGHT = 8
WIDTH = 1 << HEIGHT  # hashes (or entries) in a full tile
HASH_SIZE = 32
ENTRIES = "entries"
MAX_ENTRY = 0xFFFF  # the uint16 length prefix


@dataclass(frozen=True)
class Tile:
    """`level` is a tile level (0..63) or ENTRIES; `width` None for a full tile."""

    level: int | str
    index: int
    width: int | None = None

    @property
    def path(self) -> str:
        suffix = "" if self.width is None else f".p/{self.width}"
        return f"tile/{self.level}/{encode_index(self.index)}{suffix}"

    @property
    def full(self) -> bool:
        return self.width is None

    @property
    def count(self) -> int:
        return WIDTH if self.width is None else self.width


def encode_index(index: int) -> str:
    """The spec's index encoding: 3-digit groups, every one but the last prefixed `x` (x001/x234/067)."""
    if index < 0:
        raise ValueError("a tile index is not negative")
    groups = []
    while True:
        groups.append(f"{index % 1000:03d}")
        index //= 1000
        if not index:
            break
    groups.reverse()
    return "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])


def parse_path(path: str) -> Tile:
    """The tile a path under the prefix names (`tile/0/x001/234.p/7`); ValueError if it names none."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != "tile":
        raise ValueError("not a tile path")
    level_text, rest = parts[1], parts[2:]
    if level_text == ENTRIES:
        level: int | str = ENTRIES
    elif level_text.isdigit() and level_text == str(int(level_text)) and int(level_text) <= 63:
        level = int(level_text)
    else:
        raise ValueError("the level is 0 to 63, without leading zeroes, or 'entries'")
    width = None
    if len(rest) >= 2 and rest[-2].endswith(".p"):
        width_text = rest[-1]
        canonical = width_text.isdigit() and width_text == str(int(width_text))
        if not (canonical and 1 <= int(width_text) < WIDTH):
            raise ValueError("a partial tile's width is 1 to 255, without leading zeroes")
        width = int(width_text)
        rest = [*rest[:-2], rest[-2][:-2]]
    *prefixed, last = rest
    if not all(len(g) == 4 and g[0] == "x" and g[1:].isdigit() for g in prefixed) \
            or not (len(last) == 3 and last.isdigit()):
        raise ValueError("the index is 3-digit groups, all but the last prefixed 'x'")
    index = int("".join([*(g[1:] for g in prefixed), last]))
    if prefixed and prefixed[0] == "x000":
        raise ValueError("the index has a leading zero group")
    return Tile(level, index, width)


def available_width(tile: Tile, size: int) -> int:
    """How many hashes (or entries) tile `tile`'s position holds in a tree of `size` leaves (0 to 256)."""
    level = 0 if tile.level == ENTRIES else tile.level
    return max(0, min(WIDTH, (size >> (HEIGHT * level)) - tile.index * WIDTH))


def _hashes(level: int, index: int, count: int) -> bytes | None:
    height, start = HEIGHT * level, index * WIDTH
    keys = LogNode.objects.filter(key__gte=node_key(height, start), key__lt=node_key(height, start + count))
    found = list(keys.order_by("key").values_list("hash", flat=True))
    return b"".join(bytes(h) for h in found) if len(found) == count else None


def _bundle(index: int, count: int) -> bytes | None:
    start = index * WIDTH
    entries = [bytes(e) for e in LogLeaf.objects.filter(index__gte=start, index__lt=start + count)
               .order_by("index").values_list("entry", flat=True)]
    if len(entries) != count or any(not entry or len(entry) > MAX_ENTRY for entry in entries):
        return None
    return b"".join(len(entry).to_bytes(2, "big") + entry for entry in entries)


def computed(tile: Tile) -> bytes | None:
    """The tile's bytes as the tree holds them now; None while the tree does not hold all of it."""
    if tile.level == ENTRIES:
        return _bundle(tile.index, tile.count)
    return _hashes(tile.level, tile.index, tile.count)


def tile_bytes(tile: Tile) -> bytes | None:
    """What to serve: a full tile as stored when it filled, else from the tree; None: not (yet) there."""
    if tile.full:
        stored = LogTile.objects.filter(path=tile.path).values_list("data", flat=True).first()
        if stored is not None:
            return bytes(stored)
    return computed(tile)


def full_tiles(size: int) -> list[Tile]:
    """Every full tile and full entry bundle of a tree of `size` leaves."""
    tiles = [Tile(ENTRIES, index) for index in range(size >> HEIGHT)]
    level = 0
    while count := size >> (HEIGHT * (level + 1)):
        tiles += [Tile(level, index) for index in range(count)]
        level += 1
    return tiles


def store_full_tiles(size: int | None = None) -> int:
    """Store every full tile of the first `size` leaves (default: the tree) not stored yet; returns how many.

    Idempotent and safe to run twice at once: a tile is inserted once and never
    rewritten (LogTile is append-only), so a second writer's insert is dropped.
    """
    size = tree_size() if size is None else size
    wanted = full_tiles(size)
    paths = [tile.path for tile in wanted]
    stored = set(LogTile.objects.filter(path__in=paths).values_list("path", flat=True))
    added = 0
    for tile in wanted:
        if tile.path in stored:
            continue
        data = computed(tile)
        if data is None:  # the tree is behind the leaves (a concurrent append): a later run stores it
            continue
        try:
            with transaction.atomic():
                LogTile.objects.create(path=tile.path, data=data)
            added += 1
        except IntegrityError:  # another worker stored it first, with the same bytes
            continue
    return added


def check_stored_tiles() -> tuple[int, list[str]]:
    """(tiles checked, problems): every stored tile against the tree it was taken from."""
    problems, checked = [], 0
    for path, data in LogTile.objects.order_by("path").values_list("path", "data").iterator(chunk_size=100):
        checked += 1
        try:
            tile = parse_path(path)
        except ValueError:
            problems.append(f"stored tile {path!r} has no valid tile path.")
            continue
        if tile.width is not None or computed(tile) != bytes(data):
            problems.append(f"stored tile {path} differs from the tree: the tile served as immutable "
                            f"is not the log's (the tree or the tile was rewritten).")
    return checked, problems

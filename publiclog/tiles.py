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


def _hashes(level: int, start: int, count: int) -> list[bytes]:
    """The tree's nodes at height 8*level, positions start..start+count-1 (fewer if it lacks some)."""
    height = HEIGHT * level
    keys = LogNode.objects.filter(key__gte=node_key(height, start), key__lt=node_key(height, start + count))
    return [bytes(h) for h in keys.order_by("key").values_list("hash", flat=True)]


def _entries(start: int, count: int) -> list[bytes]:
    leaves = LogLeaf.objects.filter(index__gte=start, index__lt=start + count).order_by("index")
    return [bytes(e) for e in leaves.values_list("entry", flat=True)]


def _encode(tile: Tile, items: list[bytes]) -> bytes | None:
    """A tile's bytes from its items (hashes or entries); None unless all of them are there."""
    if len(items) != tile.count:
        return None
    if tile.level != ENTRIES:
        return b"".join(items)
    if any(not entry or len(entry) > MAX_ENTRY for entry in items):
        return None
    return b"".join(len(entry).to_bytes(2, "big") + entry for entry in items)


def _items(level: int | str, start: int, count: int) -> list[bytes]:
    return _entries(start, count) if level == ENTRIES else _hashes(level, start, count)


def computed(tile: Tile) -> bytes | None:
    """The tile's bytes as the tree holds them now; None while the tree does not hold all of it."""
    return _encode(tile, _items(tile.level, tile.index * WIDTH, tile.count))


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


def _computed_together(tiles: list[Tile]) -> dict[Tile, bytes]:
    """The bytes of many full tiles, one range read per level (the missing ones are the latest)."""
    found = {}
    by_level: dict[int | str, list[Tile]] = {}
    for tile in tiles:
        by_level.setdefault(tile.level, []).append(tile)
    for level, group in by_level.items():
        first, last = min(t.index for t in group), max(t.index for t in group)
        items = _items(level, first * WIDTH, (last - first + 1) * WIDTH)
        if len(items) != (last - first + 1) * WIDTH:  # a gap: read them one by one
            found.update({tile: data for tile in group if (data := computed(tile)) is not None})
            continue
        for tile in group:
            at = (tile.index - first) * WIDTH
            data = _encode(tile, items[at:at + WIDTH])
            if data is not None:
                found[tile] = data
    return found


def store_full_tiles(size: int | None = None) -> int:
    """Store every full tile of the first `size` leaves (default: the tree) not stored yet; returns how many.

    Idempotent and safe to run twice at once: a tile is inserted once and never
    rewritten (LogTile is append-only), so a second writer's insert is dropped.
    """
    size = tree_size() if size is None else size
    wanted = full_tiles(size)
    paths = [tile.path for tile in wanted]
    stored = set(LogTile.objects.filter(path__in=paths).values_list("path", flat=True))
    missing = _computed_together([tile for tile in wanted if tile.path not in stored])
    rows = [LogTile(path=tile.path, data=data) for tile, data in missing.items()]
    try:
        with transaction.atomic():
            LogTile.objects.bulk_create(rows, batch_size=200)
        return len(rows)
    except IntegrityError:  # another worker stored some first, with the same bytes: one by one
        added = 0
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
                added += 1
            except IntegrityError:
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

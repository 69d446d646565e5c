"""The log as C2SP tlog-tiles under /log/: the spec's paths, every tile against the tree, headers, storage.

The synthetic log of 65,537 leaves (`big_log`, conftest) holds every smaller
log as its prefix, so the tiles of a tree of 255, 256, 257, 65,535, 65,536
and 65,537 leaves are all checked against hashes computed with hashlib alone.
"""

from __future__ import annotations

import pytest

from devsupport.synthetic_log import grow_log
from publiclog import checkpoints
from publiclog.tiles import (
    ENTRIES,
    Tile,
    available_width,
    check_stored_tiles,
    encode_index,
    full_tiles,
    parse_path,
    store_full_tiles,
)
from record.models import LogTile
from record.tree import tree_size
from tests.factories import make_story
from tests.publiclog.tiles.conftest import perfect

pytestmark = pytest.mark.django_db

SIZES = [255, 256, 257, 65_535, 65_536, 65_537]


def _tiles_of(size: int) -> list[tuple[Tile, int]]:
    """(tile, width) for the last full tile and the partial tile of every level, and of the bundles."""
    found = []
    level = 0
    while size >> (8 * level):
        hashes = size >> (8 * level)
        for kind in (level, *([ENTRIES] if level == 0 else [])):
            if hashes >= 256:
                found.append((Tile(kind, hashes // 256 - 1), 256))
            if hashes % 256:
                found.append((Tile(kind, hashes // 256, hashes % 256), hashes % 256))
        level += 1
    return found


# --- the spec's paths ---------------------------------------------------------------

@pytest.mark.parametrize(("index", "encoded"), [
    (0, "000"), (67, "067"), (999, "999"), (1000, "x001/000"), (1_234_067, "x001/x234/067"),
])
def test_a_tile_index_is_written_in_three_digit_groups_all_but_the_last_prefixed_x(index, encoded):
    assert encode_index(index) == encoded
    assert parse_path(f"tile/0/{encoded}") == Tile(0, index)


def test_tile_paths_name_level_index_and_a_partial_width_as_the_spec_does():
    assert Tile(0, 1_234_067).path == "tile/0/x001/x234/067"
    assert Tile(2, 5, 17).path == "tile/2/005.p/17"
    assert Tile(ENTRIES, 273, 112).path == "tile/entries/273.p/112"
    assert parse_path("tile/entries/x001/x234/067.p/255") == Tile(ENTRIES, 1_234_067, 255)


@pytest.mark.parametrize("path", [
    "tile/01/000", "tile/64/000", "tile/0/67", "tile/0/0067", "tile/0/x000/067", "tile/0/001/000",
    "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/07", "tile/hashes/000", "tiles/0/000",
])
def test_a_path_outside_the_spec_names_no_tile(path):
    with pytest.raises(ValueError):
        parse_path(path)


def test_the_spec_example_tree_of_70000_leaves_has_the_tiles_it_lists():
    assert sum(1 for t in full_tiles(70_000) if t.level == 0) == 273
    assert available_width(Tile(0, 273), 70_000) == 112
    assert [t for t in full_tiles(70_000) if t.level == 1] == [Tile(1, 0)]
    assert available_width(Tile(1, 1), 70_000) == 17
    assert available_width(Tile(2, 0), 70_000) == 1
    assert [t for t in full_tiles(256) if t.level != ENTRIES] == [Tile(0, 0)]
    assert available_width(Tile(1, 0), 256) == 1


# --- tiles and bundles against the tree ------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_every_tile_and_bundle_at_a_tile_boundary_is_the_tree_s(big_log, client, size):
    for tile, width in _tiles_of(size):
        response = client.get(f"/log/{tile.path}")
        assert response.status_code == 200, tile.path
        expected = (big_log.bundle(tile.index, width) if tile.level == ENTRIES
                    else big_log.tile(tile.level, tile.index, width))
        assert response.content == expected, tile.path


def test_the_partial_tile_of_the_third_level_is_the_root_of_the_first_65536_leaves(big_log, client):
    response = client.get("/log/tile/2/000.p/1")
    assert response.content == perfect(big_log.levels[0][:65_536])


def test_a_tile_the_tree_does_not_hold_yet_is_not_found(big_log, client):
    assert client.get("/log/tile/0/256").status_code == 404  # leaves 65,536.. are not 256 yet
    assert client.get("/log/tile/0/256.p/2").status_code == 404
    assert client.get("/log/tile/entries/256.p/2").status_code == 404
    assert client.get("/log/tile/0/0256").status_code == 404


# --- caching -------------------------------------------------------------------------

def test_a_full_tile_or_bundle_is_immutable_for_a_year_under_the_tiles_key(big_log, client):
    for path in ("/log/tile/0/255", "/log/tile/entries/000", "/log/tile/1/000"):
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert response["xkey"] == "log-tiles"
        assert response["Content-Type"] == "application/octet-stream"


def test_a_partial_tile_is_short_lived_and_purged_with_the_log_head(big_log, client):
    response = client.get("/log/tile/0/256.p/1")
    assert "immutable" not in response["Cache-Control"] and "s-maxage=" in response["Cache-Control"]
    assert response["xkey"] == "log-head"


def test_the_checkpoint_is_the_latest_signed_note_and_purged_with_the_log_head(big_log, client):
    checkpoints.sign_checkpoint(257)
    response = client.get("/log/checkpoint")
    assert response.content.decode() == checkpoints.latest_checkpoint().note
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["xkey"] == "log-head" and "immutable" not in response["Cache-Control"]


# --- stored once -----------------------------------------------------------------------

def test_full_tiles_are_stored_once_when_they_fill_and_match_the_tree(big_log):
    store_full_tiles(65_536)
    assert LogTile.objects.count() == 256 + 256 + 1  # bundles, level 0, level 1
    assert store_full_tiles(65_537) == 0
    assert check_stored_tiles() == (513, [])
    assert not LogTile.objects.filter(path__contains=".p/").exists()


def test_a_stored_tile_that_is_not_the_tree_s_is_reported(big_log):
    LogTile.objects.create(path="tile/0/007", data=b"\x00" * 8192)
    assert check_stored_tiles()[1] == [
        "stored tile tile/0/007 differs from the tree: the tile served as immutable is not the log's "
        "(the tree or the tile was rewritten)."]


def test_the_revision_that_fills_a_tile_stores_it_after_its_commit(big_log, editor,
                                                                   django_capture_on_commit_callbacks):
    size = tree_size()
    grow_log(size + 255 - size % 256, editor.pk)  # one leaf short of a full tile
    with django_capture_on_commit_callbacks(execute=True):
        make_story(author=editor)
    index = tree_size() // 256 - 1
    stored = set(LogTile.objects.values_list("path", flat=True))
    assert {Tile(0, index).path, Tile(ENTRIES, index).path} <= stored

"""The verifier's checks from the log's C2SP tiles (/log/...): inclusion, consistency, a full audit.

Standalone (Python 3.11+ and `cryptography`), like every file in tools/.
Only the checkpoint, hash tiles and entry bundles are read (what an edge
cache serves forever), and every proof is built here from them and checked
against the signed roots. A full line is fetched from /api/log/leaves/<i>
only to say, field by field, how an exported revision differs from the
signed one, and it is itself checked against the signed entry.
"""

from __future__ import annotations

import json

from .tlog_core import Checkpoint, Failure, Report, RootBuilder, entry_of, leaf_hash, verify_inclusion
from .tlog_tiles import WIDTH, Tiles

PREFIX = "/log/"


def open_tiles(server, size: int) -> Tiles:
    """The tiles of the tree of `size` leaves, fetched from the server's /log/ prefix."""
    return Tiles(lambda path: server.get(PREFIX + path), size)


def tiles_consistency_proof(server):
    """Consistency proofs built from the tiles of the newer tree (for log_checks.check_consistency)."""
    def proof(old: int, new: int) -> list[bytes]:
        return open_tiles(server, new).consistency_proof(old)
    return proof


def _describe_entry(entry: bytes) -> str:
    try:
        fields = json.loads(entry)
        return f"revision {fields['revision']} (line SHA-256 {fields['line_sha256'][:16]}...)"
    except (ValueError, KeyError, TypeError):
        return f"an entry that is not the tracker's ({entry[:40]!r})"


def _revision_of(entry: bytes) -> int:
    try:
        revision = json.loads(entry)["revision"]
    except (ValueError, KeyError, TypeError):
        revision = None
    if not isinstance(revision, int):
        raise Failure(f"An entry bundle holds {_describe_entry(entry)}.")
    return revision


def leaf_of_revision(tiles: Tiles, revision: int) -> int:
    """The leaf whose entry names `revision`, found in the entry bundles alone.

    Leaves are appended in commit order under the lock that also orders
    revision ids (record.progress.lock_revision_log), so the revisions named
    along the entries only grow: a binary search over the bundles reads about
    log2(size / 256) of them. Finding the leaf proves nothing by itself: the
    caller proves that leaf's inclusion, and a server that broke the order
    could only make the search miss (a failure), never prove a wrong leaf.
    """
    lo, hi = 0, (tiles.size + WIDTH - 1) // WIDTH - 1
    while lo <= hi:
        middle = (lo + hi) // 2
        named = [_revision_of(entry) for entry in tiles.entries(middle)]
        if revision < named[0]:
            hi = middle - 1
        elif revision > named[-1]:
            lo = middle + 1
        elif revision in named:
            return middle * WIDTH + named.index(revision)
        else:
            break
    raise Failure(f"Revision {revision} has no leaf in the signed log of {tiles.size} leaves "
                  f"(searched its entry bundles).")


def check_tiles_inclusion(report: Report, tiles: Tiles, checkpoint: Checkpoint, index: int,
                          revision: int | None = None) -> None:
    """Leaf `index` (its entry from its bundle) is in the signed tree: the proof from tiles."""
    before = tiles.requests
    try:
        entry = tiles.entry(index)
        proof = tiles.inclusion_proof(index)
    except (Failure, IndexError) as error:
        report.failed(f"Could not prove leaf {index} from the tiles: {error}")
        return
    described = _describe_entry(entry)
    if revision is not None and json.loads(entry).get("revision") != revision:
        report.failed(f"Leaf {index} is not revision {revision}: it is {described}.")
        return
    used = tiles.requests - before
    if verify_inclusion(index, checkpoint.size, leaf_hash(entry), proof, checkpoint.root):
        report.proven(f"leaf {index}, {described}, is in the signed log of {checkpoint.size} leaves "
                      f"(from tiles: {used} request(s)).")
    else:
        report.failed(f"Leaf {index} ({described}) is NOT in the signed log of {checkpoint.size} leaves: "
                      f"the tiles do not prove it.")


def audit_tiles(report: Report, tiles: Tiles, checkpoint: Checkpoint) -> list[bytes] | None:
    """Every entry bundle, hashed into the root the checkpoint signs; the entries when they hold."""
    builder, entries = RootBuilder(), []
    try:
        for entry in tiles.all_entries():
            builder.add(leaf_hash(entry))
            entries.append(entry)
    except Failure as error:
        report.failed(f"The entry bundles cannot be read: {error}")
        return None
    if builder.root() != checkpoint.root:
        report.failed(f"The {len(entries)} entries in the bundles do not hash to the signed root: the "
                      f"served log is not the signed one (an entry was rewritten).")
        return None
    root_from_tiles = tiles.root()
    if root_from_tiles != checkpoint.root:
        report.failed("The hash tiles do not hash to the signed root: they disagree with the bundles.")
        return None
    report.proven(f"all {checkpoint.size} entries in the bundles, and the hash tiles, are exactly the "
                  f"signed log ({tiles.requests} tile request(s)).")
    return entries


def signed_lines(report: Report, server, lines: list[bytes], entries: list[bytes]) -> list[bytes]:
    """The signed full line of each entry: the exported one where it matches, else the server's (checked)."""
    found = []
    for index, entry in enumerate(entries):
        if index < len(lines) and entry_of(lines[index]) == entry:
            found.append(lines[index])
            continue
        line = server.get(f"/api/log/leaves/{index}")
        if entry_of(line) != entry:
            raise Failure(f"The server's line for leaf {index} is not the one its signed entry commits to.")
        found.append(line)
    return found

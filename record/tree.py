"""The log's Merkle tree in the database: append a revision's leaf, the
write side of the public log (its proofs are read in publiclog.proofs).

Every perfect subtree's hash is stored once (`LogNode`, keyed by level and
index), so appending reads at most one row per level (the left siblings that
the new leaf completes) and a root or a proof reads O(log n) nodes in one
query: nothing is ever rebuilt. Proofs are only given against sizes that were
checkpointed (publiclog.checkpoints), so what a reader checks is always signed.

The C2SP tiles (publiclog.tiles) are read from the same rows: a tile at level
L is the nodes at height 8L, one range read, full or partial. Node rows were
kept rather than replaced by stored tiles: an append writes its leaf and the
nodes it completes (two on average) in the same single statement, so the tree
adds no round trip to a write that storing tiles in the transaction would
not (the measured cost of the log is building the line, `log_append`);
full tiles are stored after commit, from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction

from . import merkle
from .leaves import entry_for, revision_lines
from .models import LogLeaf, LogNode, Revision
from .progress import lock_revision_log

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


def stored_nodes(wanted: list[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The stored hashes of the perfect subtrees `wanted` (level, index); ProofError if one is missing."""
    keys = {node_key(*node): node for node in wanted}
    found = {keys[key]: bytes(value) for key, value in
             LogNode.objects.filter(key__in=list(keys)).values_list("key", "hash")}
    missing = set(wanted) - set(found)
    if missing:
        raise ProofError(f"the tree is missing {len(missing)} node(s), e.g. {min(missing)}")
    return found


def append_leaf(rev: Revision, *, data: bytes, index: int | None = None) -> LogLeaf:
    """Give `rev` the next leaf for `data` (its full log line): under the revision lock, after its writes.

    `index` is the caller's knowledge of the next index (the previous
    revision's leaf + 1), which saves a query.
    """
    if index is None:
        index = tree_size()
    entry = entry_for(rev.id, data)
    digest = merkle.leaf_hash(entry)
    siblings = []
    level = 0
    while (index >> level) & 1:
        siblings.append((level, (index >> level) - 1))
        level += 1
    found = stored_nodes(siblings) if siblings else {}
    rows = [LogNode(key=node_key(0, index), hash=digest)]
    current = digest
    for level, sibling in siblings:
        current = merkle.node_hash(found[(level, sibling)], current)
        rows.append(LogNode(key=node_key(level + 1, sibling >> 1), hash=current))
    leaf = LogLeaf(index=index, revision=rev, data=data, entry=entry, hash=digest)
    _insert(leaf, rows)
    return leaf


def _insert(leaf: LogLeaf, nodes: list[LogNode]) -> None:
    """Write a leaf and the nodes it completes: on PostgreSQL in one statement (one round trip)."""
    if connection.vendor != "postgresql":
        leaf.save(force_insert=True)
        LogNode.objects.bulk_create(nodes)
        return
    quote = connection.ops.quote_name
    leaves, nodes_table = quote(LogLeaf._meta.db_table), quote(LogNode._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(nodes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH leaf AS (INSERT INTO {leaves} (index, revision_id, data, entry, hash) "  # noqa: S608 (names from the models)
            f"VALUES (%s, %s, %s, %s, %s)) INSERT INTO {nodes_table} (key, hash) VALUES {values}",
            [leaf.index, leaf.revision_id, leaf.data, leaf.entry, leaf.hash,
             *(part for node in nodes for part in (node.key, node.hash))],
        )
    leaf._state.adding = False
    leaf._state.db = connection.alias


class RightEdge:
    """The tree's right edge (its perfect subtrees, left to right) while leaves are added in bulk."""

    def __init__(self, size: int) -> None:
        frontier = merkle.perfect_nodes(0, size)
        found = stored_nodes(frontier) if size else {}
        self._stack = [(level, position, found[(level, position)]) for level, position in frontier]

    def add(self, index: int, digest: bytes) -> list[tuple[int, bytes]]:
        """Leaf `index` with leaf hash `digest` (the next one): the nodes it completes as (key, hash),
        the leaf's own first."""
        nodes = [(node_key(0, index), digest)]
        current = (0, index, digest)
        while self._stack and self._stack[-1][0] == current[0]:
            level, position, left = self._stack.pop()
            current = (level + 1, position >> 1, merkle.node_hash(left, current[2]))
            nodes.append((node_key(current[0], current[1]), current[2]))
        self._stack.append(current)
        return nodes


def catch_up(*, before: int | None = None) -> int:
    """Give every revision without a leaf (older than `before`) its leaf, in id order, in bulk.

    Under the revision lock. For revisions written before the log had a tree,
    or filled in by SQL (the benchmark): 500 at a time, the tree's right edge
    kept in memory. Returns the next free leaf index.
    """
    index = tree_size()
    edge = RightEdge(index)
    missing = Revision.objects.filter(log_leaf__isnull=True).select_related("author").order_by("id")
    if before is not None:
        missing = missing.filter(id__lt=before)
    last_id = 0
    while batch := list(missing.filter(id__gt=last_id)[:500]):
        leaves, nodes = [], []
        for rev, line in zip(batch, revision_lines(batch), strict=True):
            data = line.encode("utf-8")
            entry = entry_for(rev.id, data)
            digest = merkle.leaf_hash(entry)
            leaves.append(LogLeaf(index=index, revision=rev, data=data, entry=entry, hash=digest))
            nodes += [LogNode(key=key, hash=value) for key, value in edge.add(index, digest)]
            index += 1
        LogLeaf.objects.bulk_create(leaves)
        LogNode.objects.bulk_create(nodes, batch_size=1000)
        last_id = batch[-1].id
    return index


def build_missing_leaves() -> int:
    """Take the revision lock and give every revision without a leaf its leaf; returns the size."""
    with transaction.atomic():
        lock_revision_log()
        return catch_up()

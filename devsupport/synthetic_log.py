"""A synthetic public log of any size, built in seconds (tests and benchmark support, never production).

Writing 100,000 revisions through the services takes half an hour; what the
tiles, proofs and verifier care about is only the tree. So the revisions are
inserted by one SQL statement (author, time, message), and each gets a leaf
whose full line is a small JSON object naming it, its entry committing to
that line exactly as a real one does (record.leaves.entry_for), and the
tree's nodes computed with record.tree.RightEdge, as catch_up does. Call
it inside a transaction to throw it away.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from record import merkle
from record.leaves import dumps, entry_for
from record.models import LogLeaf, LogNode, Revision
from record.tree import RightEdge, tree_size

_BATCH = 5000


def synthetic_line(revision_id: int, index: int) -> bytes:
    return dumps({"revision": revision_id, "synthetic": index}).encode()


def _new_revisions(author_id: int, count: int) -> list[int]:
    table = connection.ops.quote_name(Revision._meta.db_table)
    params = [timezone.now(), author_id]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (created_at, author_id, message, kind, minor) "  # noqa: S608 (model table)
                f"SELECT %s, %s, 'Synthetic', 'update', true FROM generate_series(1, %s) "
                f"RETURNING id", [*params, count])
            return sorted(row[0] for row in cursor.fetchall())
    made = Revision.objects.bulk_create(
        [Revision(created_at=params[0], author_id=author_id, message="Synthetic", kind="update", minor=True)
         for _ in range(count)], batch_size=_BATCH)
    return sorted(rev.pk for rev in made)


def grow_log(total: int, author_id: int) -> list[bytes]:
    """Append synthetic revisions and leaves until the log has `total` leaves; the new entries, in order."""
    index = tree_size()
    edge = RightEdge(index)
    entries: list[bytes] = []
    leaves, nodes = [], []
    for revision_id in _new_revisions(author_id, total - index) if total > index else []:
        line = synthetic_line(revision_id, index)
        entry = entry_for(revision_id, line)
        digest = merkle.leaf_hash(entry)
        entries.append(entry)
        leaves.append((index, revision_id, line, entry, digest))
        nodes += edge.add(index, digest)
        index += 1
    _insert(leaves, nodes)
    return entries


def _insert(leaves: list[tuple], nodes: list[tuple[int, bytes]]) -> None:
    """On PostgreSQL one statement per table per batch, from arrays sent in binary (bulk_create would
    build a model per row, and text arrays are escaped character by character)."""
    if connection.vendor != "postgresql":
        LogLeaf.objects.bulk_create([LogLeaf(index=i, revision_id=r, data=d, entry=e, hash=h)
                                     for i, r, d, e, h in leaves], batch_size=_BATCH)
        LogNode.objects.bulk_create([LogNode(key=k, hash=h) for k, h in nodes], batch_size=_BATCH)
        return
    quote = connection.ops.quote_name
    leaf_table, node_table = quote(LogLeaf._meta.db_table), quote(LogNode._meta.db_table)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:  # psycopg's own: %b sends a parameter in binary
        for at in range(0, len(leaves), _BATCH):
            columns = [list(column) for column in zip(*leaves[at:at + _BATCH], strict=True)]
            cursor.execute(f"INSERT INTO {leaf_table} (index, revision_id, data, entry, hash) "  # noqa: S608
                           f"SELECT * FROM unnest(%b::bigint[], %b::bigint[], %b::bytea[], %b::bytea[], "
                           f"%b::bytea[])", columns)
        for at in range(0, len(nodes), _BATCH):
            columns = [list(column) for column in zip(*nodes[at:at + _BATCH], strict=True)]
            cursor.execute(f"INSERT INTO {node_table} (key, hash) "  # noqa: S608 (model table)
                           f"SELECT * FROM unnest(%b::bigint[], %b::bytea[])", columns)

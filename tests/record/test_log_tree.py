"""The revision log as a Merkle tree: one leaf per revision, dense, in commit order, provable."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events import services
from interchange.logfile import log_lines
from publiclog import proofs
from publiclog.checkpoints import publish_checkpoint
from record.leaves import revision_lines
from record.models import LogLeaf, Revision
from record.versioning import revision
from tests.factories import make_actor, make_development, make_story
from tests.record.test_merkle import mth, path, subproof
from tools import verify_log as standalone

pytestmark = pytest.mark.django_db


def _leaves() -> list[bytes]:
    """The full lines of the leaves, in index order."""
    return [bytes(data) for data in LogLeaf.objects.order_by("index").values_list("data", flat=True)]


def _entries() -> list[bytes]:
    """What the tree hashes: each leaf's entry, as the standalone verifier derives it from the line."""
    return [standalone.entry_of(line) for line in _leaves()]


def test_every_revision_gets_the_next_leaf_even_across_revision_id_gaps(editor):
    make_story(author=editor)
    with pytest.raises(RuntimeError), transaction.atomic(), \
            revision(author=editor, message="Abandoned", kind=Revision.Kind.UPDATE):
        raise RuntimeError("rolled back: its revision id is burnt")
    make_story(author=editor)
    pairs = list(LogLeaf.objects.order_by("index").values_list("index", "revision_id"))
    assert [index for index, _ in pairs] == [0, 1]
    assert [rid for _, rid in pairs] == list(Revision.objects.order_by("id").values_list("id", flat=True))
    if connection.vendor == "postgresql":  # SQLite rolls its id counter back with the transaction
        assert pairs[1][1] - pairs[0][1] == 2


def test_a_leaf_is_its_revisions_line_of_the_exported_log_with_its_story(editor):
    development = make_development(author=editor, actors=[make_actor(author=editor)])
    lines = list(log_lines())[1:]
    assert [line.encode() for line in lines] == _leaves()
    last = json.loads(lines[-1])
    assert last["story_id"] == development.story_id
    assert {v["model"] for v in last["versions"]} == {"events.development"}
    assert last["versions"][0]["fields"]["actors"] == [a.pk for a in development.actors.all()]


def test_the_leaf_holds_every_version_the_revision_wrote_not_only_the_first(editor):
    story = make_story(author=editor)
    with revision(author=editor, message="Two at once", kind=Revision.Kind.UPDATE):
        services_story = services.story_update(author=editor, story=story, base_version=story.version,
                                               message="ignored: joins the open revision",
                                               changes={"title": "Renamed"})
        make_actor(author=editor)
    line = json.loads(_leaves()[-1])
    assert {v["model"] for v in line["versions"]} == {"events.story", "events.actor"}
    assert services_story.title == "Renamed"


def test_the_stored_tree_gives_the_rfc_root_and_proofs_of_its_leaves(editor):
    for number in range(11):
        make_story(author=editor, slug=f"story-{number}")
    leaves = _entries()
    assert proofs.root(len(leaves)) == mth(leaves)
    assert proofs.root(5) == mth(leaves[:5])
    publish_checkpoint()
    size = len(leaves)
    for index in range(size):
        assert proofs.inclusion_proof(index, size) == path(index, leaves)


def test_consistency_proofs_between_checkpoints_match_the_rfc(editor):
    sizes = []
    for number in range(9):
        make_story(author=editor, slug=f"story-{number}")
        sizes.append(publish_checkpoint().size)
    leaves = _entries()
    for old in sizes:
        for new in sizes:
            if old <= new:
                expected = [] if old == new else subproof(old, leaves[:new], True)
                assert proofs.consistency_proof(old, new) == expected
                assert standalone.verify_consistency(old, new, mth(leaves[:old]), mth(leaves[:new]),
                                                     expected)


def test_no_proof_is_given_against_a_size_that_was_never_checkpointed(editor):
    make_story(author=editor)
    publish_checkpoint()
    make_story(author=editor)
    with pytest.raises(proofs.ProofError, match="never checkpointed"):
        proofs.inclusion_proof(0, 2)
    with pytest.raises(proofs.ProofError, match="never checkpointed"):
        proofs.consistency_proof(1, 2)


def test_appending_a_leaf_reads_one_query_of_nodes_whatever_the_tree_size(editor):
    for number in range(15):  # the 16th leaf completes four levels at once
        make_story(author=editor, slug=f"story-{number}")
    with CaptureQueriesContext(connection) as queries:
        make_story(author=editor, slug="the-sixteenth")
    node_reads = [q["sql"] for q in queries.captured_queries
                  if "record_lognode" in q["sql"] and q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(node_reads) == 1
    assert proofs.root(16) == mth(_entries())


def test_the_leaf_bytes_are_those_revision_lines_gives_for_the_revision_read_back(editor):
    make_story(author=editor, title="Ստեփանակերտ — Xankəndi")
    rev = Revision.objects.select_related("author").latest("id")
    leaf = LogLeaf.objects.get(revision=rev)
    assert bytes(leaf.data) == next(revision_lines([rev])).encode("utf-8")
    assert bytes(leaf.entry) == standalone.entry_of(bytes(leaf.data))
    assert hashlib.sha256(b"\x00" + bytes(leaf.entry)).digest() == bytes(leaf.hash)


def test_an_entry_commits_to_the_full_line_in_about_a_hundred_bytes_however_long_the_line(editor):
    make_story(author=editor, summary="word " * 20_000)
    leaf = LogLeaf.objects.latest("index")
    assert len(bytes(leaf.data)) > 100_000 and len(bytes(leaf.entry)) < 120
    assert json.loads(bytes(leaf.entry)) == {"line_sha256": hashlib.sha256(bytes(leaf.data)).hexdigest(),
                                             "revision": leaf.revision_id}


def test_revisions_written_without_the_tree_get_their_leaves_first_in_id_order(editor, settings):
    make_story(author=editor, slug="with-the-tree")
    settings.LOG_TREE = False
    for number in range(6):
        make_story(author=editor, slug=f"before-the-tree-{number}")
    assert LogLeaf.objects.count() == 1
    settings.LOG_TREE = True
    make_story(author=editor, slug="the-tree-is-back")
    pairs = list(LogLeaf.objects.order_by("index").values_list("index", "revision_id"))
    assert pairs == list(enumerate(Revision.objects.order_by("id").values_list("id", flat=True)))
    lines = [line.encode() for line in list(log_lines())[1:]]
    assert _leaves() == lines
    entries = [standalone.entry_of(line) for line in lines]
    assert proofs.root(8) == mth(entries)
    for size in range(1, 9):
        assert proofs.root(size) == mth(entries[:size])

"""The public log over HTTP: checkpoints, key, leaves, proofs; bad input is a clear 400 (or 404)."""

from __future__ import annotations

import base64

import pytest

from digests.builder import build_window
from digests.models import Digest
from digests.webhooks import digest_payload
from publiclog.checkpoints import publish_checkpoint
from record.models import LogLeaf, Revision
from tests.digests.webhook_support import make_webhook_subscription
from tests.factories import make_development, make_story
from tests.record.test_merkle import mth
from tools import verify_log as standalone

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_log(editor):
    """Five revisions, checkpoints at 3 and 5 leaves."""
    for number in range(3):
        make_story(author=editor, slug=f"story-{number}")
    publish_checkpoint()
    make_development(author=editor)  # a story and a development: two revisions
    publish_checkpoint()
    return [bytes(d) for d in LogLeaf.objects.order_by("index").values_list("data", flat=True)]


def _entries(lines: list[bytes]) -> list[bytes]:
    return [standalone.entry_of(line) for line in lines]


def _verifier(api):
    return standalone.parse_verifier(api.get("/api/log/key").content.decode())


def test_the_latest_checkpoint_is_a_signed_note_of_the_tree(api, signed_log):
    response = api.get("/api/log/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    checkpoint = standalone.open_checkpoint(response.content.decode(), _verifier(api))
    assert (checkpoint.size, checkpoint.root) == (5, mth(_entries(signed_log)))


def test_an_earlier_checkpoint_is_served_by_its_size(api, signed_log):
    checkpoint = standalone.open_checkpoint(api.get("/api/log/checkpoint?size=3").content.decode(),
                                            _verifier(api))
    assert (checkpoint.size, checkpoint.root) == (3, mth(_entries(signed_log[:3])))


def test_a_size_never_signed_is_a_404(api, signed_log):
    response = api.get("/api/log/checkpoint?size=4")
    assert response.status_code == 404
    assert "No checkpoint was ever signed at size 4" in response.json()["detail"]


def test_the_key_is_in_the_note_verifier_format(api, log_signing_key):
    text = api.get("/api/log/key").content.decode().strip()
    name, key_id, key = text.split("+", 2)
    assert (name, key_id) == (log_signing_key.name, log_signing_key.key_id.hex())
    assert base64.b64decode(key)[:1] == b"\x01"


def test_a_leaf_is_served_as_its_exact_bytes(api, signed_log):
    response = api.get("/api/log/leaves/3")
    assert response.status_code == 200
    assert response.content == signed_log[3]


def test_a_range_of_leaves_is_base64_in_index_order(api, signed_log):
    page = api.get("/api/log/leaves/?start=1&end=4").json()
    assert (page["start"], page["end"]) == (1, 4)
    assert [base64.b64decode(leaf) for leaf in page["leaves"]] == signed_log[1:4]


def test_an_inclusion_proof_verifies_with_the_standalone_verifier(api, signed_log):
    for index in range(5):
        answer = api.get(f"/api/log/proof/inclusion?index={index}&size=5").json()
        assert (answer["index"], answer["size"]) == (index, 5)
        hashes = [base64.b64decode(h) for h in answer["hashes"]]
        assert standalone.verify_inclusion(index, 5, standalone.line_leaf_hash(signed_log[index]), hashes,
                                           mth(_entries(signed_log)))


def test_a_consistency_proof_verifies_with_the_standalone_verifier(api, signed_log):
    answer = api.get("/api/log/proof/consistency?from=3&to=5").json()
    assert (answer["from"], answer["to"]) == (3, 5)
    hashes = [base64.b64decode(h) for h in answer["hashes"]]
    entries = _entries(signed_log)
    assert standalone.verify_consistency(3, 5, mth(entries[:3]), mth(entries), hashes)
    assert not standalone.verify_consistency(3, 5, mth(entries[:2]), mth(entries), hashes)


@pytest.mark.parametrize(("url", "says"), [
    ("/api/log/proof/inclusion?index=5&size=5", "not a leaf"),
    ("/api/log/proof/inclusion?index=0&size=4", "never checkpointed"),
    ("/api/log/proof/inclusion?index=-1&size=5", "whole number"),
    ("/api/log/proof/inclusion?size=5", "index is required"),
    ("/api/log/proof/consistency?from=5&to=3", "larger than"),
    ("/api/log/proof/consistency?from=3&to=4", "never checkpointed"),
    ("/api/log/proof/consistency?from=0&to=5", "at least 1"),
    ("/api/log/proof/consistency?from=x&to=5", "whole number"),
    ("/api/log/leaves/?start=4&end=9", "the log has 5 leaves"),
    ("/api/log/leaves/?start=3&end=3", "start < end"),
    ("/api/log/checkpoint?size=%EF%BC%93", "whole number"),
])
def test_bad_log_requests_are_a_400_that_says_why(api, signed_log, url, says):
    response = api.get(url)
    assert response.status_code == 400, response.content
    assert says in response.content.decode()


def test_a_leaf_that_does_not_exist_is_a_404(api, signed_log):
    assert api.get("/api/log/leaves/5").status_code == 404


def test_each_revision_in_the_change_feed_carries_its_leaf_index(api, signed_log):
    results = api.get("/api/changes/?after=0").json()["results"]
    assert [entry["leaf_index"] for entry in results] == [0, 1, 2, 3, 4]


def test_each_revision_in_a_webhook_payload_carries_its_leaf_index(signed_log, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    subscription, _ = make_webhook_subscription("http://127.0.0.1:9/hook")
    upto = Revision.objects.latest("id").id
    digest = Digest.objects.create(subscription=subscription, after=0, upto=upto,
                                   content=build_window(0, upto))
    revisions = [revision for story in digest_payload(digest)["stories"] for entries in story.values()
                 if isinstance(entries, list) for entry in entries if isinstance(entry, dict)
                 for revision in entry.get("revisions", [])]
    assert revisions
    leaves = dict(LogLeaf.objects.values_list("revision_id", "index"))
    assert all(revision["leaf_index"] == leaves[revision["id"]] for revision in revisions)
    assert "leaf_index" not in str(Digest.objects.get(pk=digest.pk).content)  # the stored digest is untouched


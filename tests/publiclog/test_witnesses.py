"""Witnesses cosign the log (C2SP tlog-witness): two witness processes, a growing log, a fork, a crash."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import pytest

from publiclog import checkpoints, proofs, tasks, witnesses
from publiclog.models import Cosignature
from record.merkle import leaf_hash, node_hash
from tests.factories import make_story
from tests.ports import free_port
from tools import witness_policy

from .witnessing import WitnessProcess

pytestmark = pytest.mark.django_db

# One log origin per test: the witnesses outlive each test's database, and a log that started
# over under the same origin would be, to them, a fork.
LOG_KEYS = [checkpoints.generate_key(f"tracker.test/witnessed-{n}") for n in range(16)]  # one per test below
UNUSED_LOG_KEYS = iter(LOG_KEYS)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("witnesses")
    verifiers = [key.verifier() for key in LOG_KEYS]
    started = [WitnessProcess(folder / name, f"witness.test/{name}", verifiers).start()
               for name in ("w1", "w2")]
    yield started
    for witness in started:
        witness.kill()


@pytest.fixture
def log_key(settings):
    key = next(UNUSED_LOG_KEYS)
    settings.LOG_SIGNING_KEY = key.signer()
    return key


@pytest.fixture
def asking(settings, pair, log_key):
    """The log configured to ask both witnesses (on loopback, so private targets allowed)."""
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = True
    settings.LOG_WITNESSES = ",".join(f"{w.url} {w.verifier}" for w in pair)
    settings.LOG_WITNESS_TIMEOUT_SECONDS = 5
    return pair


def _grow_and_sign(editor, stories: int = 1):
    for _ in range(stories):
        make_story(author=editor)
    return checkpoints.publish_checkpoint()


def _body(old: int, proof: list[bytes], note: str) -> bytes:
    proof_lines = "".join(base64.b64encode(h).decode() + "\n" for h in proof)
    return f"old {old}\n{proof_lines}\n{note}".encode()


def _mth(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaf_hash(leaves[0])
    k = proofs.split_point(len(leaves))
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def test_two_witnesses_cosign_each_checkpoint_of_a_growing_log(asking, editor):
    policy = witness_policy.Policy.from_keys([w.verifier for w in asking], required=2)
    for stories in (1, 2, 1):
        checkpoint = _grow_and_sign(editor, stories)
        asked = witnesses.request_cosignatures(checkpoint)
        assert sorted((a.witness, a.outcome) for a in asked) == [
            ("witness.test/w1", "cosigned"), ("witness.test/w2", "cosigned")]
        vouching = policy.check(checkpoints.served_note(checkpoint))
        assert {cosigned.witness for cosigned in vouching} == {"witness.test/w1", "witness.test/w2"}


def test_a_checkpoint_already_cosigned_by_every_witness_sends_no_request(asking, editor):
    checkpoint = _grow_and_sign(editor)
    witnesses.request_cosignatures(checkpoint)
    assert witnesses.request_cosignatures(checkpoint) == []
    assert Cosignature.objects.filter(checkpoint=checkpoint).count() == 2


def test_the_served_checkpoint_is_the_signed_note_then_the_cosignature_lines(asking, editor, client):
    checkpoint = _grow_and_sign(editor)
    witnesses.request_cosignatures(checkpoint)
    served = client.get("/api/log/checkpoint").content.decode()
    assert served.startswith(checkpoint.note)
    added = served[len(checkpoint.note):].splitlines()
    assert [line.split(" ")[:2] for line in added] == [
        ["\u2014", "witness.test/w1"], ["\u2014", "witness.test/w2"]]


def test_a_witness_ahead_of_the_log_answers_409_and_the_log_resends_from_its_size(asking, editor, log_key):
    first = _grow_and_sign(editor)
    w1 = asking[0]
    assert w1.post(_body(0, [], first.note))[0] == 200  # w1 saw `first` without the log storing it
    later = _grow_and_sign(editor, 2)
    asked = {a.witness: a.outcome for a in witnesses.request_cosignatures(later)}
    assert asked["witness.test/w1"] == "cosigned"
    assert w1.post(_body(0, [], later.note))[:3] == (409, "text/x.tlog.size", f"{later.size}\n")


def test_a_rewritten_copy_of_the_log_signed_with_the_same_key_is_refused(asking, editor, log_key):
    real = _grow_and_sign(editor, 3)
    witnesses.request_cosignatures(real)
    leaves = [bytes(leaf.data) for leaf in proofs.leaves_between(0, real.size)]
    forged = [leaves[0].replace(b'"', b"'", 1), *leaves[1:]]  # history rewritten at the first leaf
    same_size = log_key.sign_note(checkpoints.checkpoint_body(log_key.name, real.size, _mth(forged)))
    status, content_type, text = asking[0].post(_body(real.size, [], same_size))
    assert (status, content_type, text) == (409, "text/x.tlog.size", f"{real.size}\n")

    grown = [*forged, b"one more revision"]
    bigger = log_key.sign_note(checkpoints.checkpoint_body(log_key.name, len(grown), _mth(grown)))
    fork_proof = [_mth(grown[lo:hi]) for lo, hi in proofs.consistency_ranges(real.size, len(grown))]
    assert asking[1].post(_body(real.size, fork_proof, bigger))[0] == 422


def test_a_witness_refuses_what_it_cannot_check(asking, editor, log_key):
    checkpoint = _grow_and_sign(editor)
    stranger = checkpoints.generate_key(log_key.name)
    unknown = checkpoints.generate_key("tracker.test/not-followed")
    body = checkpoints.checkpoint_body
    w1 = asking[0]
    assert w1.post(_body(0, [], unknown.sign_note(body(unknown.name, 1, b"\0" * 32))))[0] == 404
    assert w1.post(_body(0, [], stranger.sign_note(body(log_key.name, 1, b"\0" * 32))))[0] == 403
    assert w1.post(_body(checkpoint.size + 1, [], checkpoint.note))[0] == 400
    assert w1.post(b"old 0\n" + checkpoint.note.encode())[0] == 400  # no blank line before the note


def test_a_witness_restarted_after_a_crash_remembers_what_it_cosigned(asking, editor):
    checkpoint = _grow_and_sign(editor, 2)
    witnesses.request_cosignatures(checkpoint)
    w2 = asking[1]
    w2.kill()
    w2.start()
    assert w2.post(_body(0, [], checkpoint.note))[:3] == (409, "text/x.tlog.size", f"{checkpoint.size}\n")
    later = _grow_and_sign(editor)
    assert {a.outcome for a in witnesses.request_cosignatures(later)} == {"cosigned"}


def test_an_unreachable_witness_is_reported_after_bounded_attempts(asking, editor, settings):
    settings.LOG_WITNESSES = f"http://127.0.0.1:{free_port()} {asking[0].verifier}"  # nothing listens
    settings.LOG_WITNESS_ATTEMPTS = 2
    [asked] = witnesses.request_cosignatures(_grow_and_sign(editor))
    assert (asked.witness, asked.outcome) == ("witness.test/w1", "unreachable")
    assert Cosignature.objects.count() == 0


def test_the_beat_task_signs_a_grown_log_and_asks_the_witnesses(asking, editor):
    make_story(author=editor)
    size = tasks.publish_checkpoint()
    assert Cosignature.objects.filter(checkpoint_id=size).count() == 2


def test_two_requests_from_the_same_old_size_cannot_both_be_cosigned(asking, editor, log_key):
    """The spec's rollback race: the check of `old` and the write of the new size are one step."""
    small = _grow_and_sign(editor)
    large = _grow_and_sign(editor, 2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda note: asking[0].post(_body(0, [], note))[0], [small.note, large.note]))
    assert sorted(answers) == [200, 409]


def test_a_proof_sent_from_size_zero_does_not_verify(asking, editor, log_key):
    checkpoint = _grow_and_sign(editor)
    assert asking[0].post(_body(0, [b"\0" * 32], checkpoint.note))[0] == 422

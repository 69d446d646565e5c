"""End to end: witnesses cosign the log; a reader checks it from the tiles and cosignatures alone."""

from __future__ import annotations

import pytest

from publiclog import checkpoints, witnesses
from tests.factories import make_story, make_user
from tools import verify_log as standalone

from .witnessing import WitnessProcess

pytestmark = pytest.mark.django_db(transaction=True)  # the verifier reads a live server

# One log origin per test: the witnesses outlive each test's database (see test_witnesses.py).
LOG_KEYS = [checkpoints.generate_key(f"tracker.test/witnessed-tiles-{n}") for n in range(2)]
UNUSED_LOG_KEYS = iter(LOG_KEYS)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tile-witnesses")
    started = [WitnessProcess(folder / name, f"witness.test/{name}", [k.verifier() for k in LOG_KEYS]).start()
               for name in ("w1", "w2")]
    yield started
    for witness in started:
        witness.kill()


@pytest.fixture
def cosigned(settings, pair):
    """A log of three revisions whose latest checkpoint both witnesses cosigned, as the beat task asks."""
    key = next(UNUSED_LOG_KEYS)
    settings.LOG_SIGNING_KEY = key.signer()
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = True  # the witnesses listen on loopback
    settings.LOG_WITNESSES = ",".join(f"{w.url} {w.verifier}" for w in pair)
    editor = make_user()
    for _ in range(3):
        make_story(author=editor)
    asked = witnesses.request_cosignatures(checkpoints.publish_checkpoint())
    assert sorted(a.outcome for a in asked) == ["cosigned", "cosigned"]
    return key


def _verify_tiles(server: str, key, *args: str, capsys) -> tuple[int, str]:
    code = standalone.main(["--tiles", "--server", server, "--key", key.verifier(), "--audit",
                            "--leaf", "2", *args])
    return code, capsys.readouterr().out


def test_a_reader_proves_a_leaf_from_the_tiles_of_a_checkpoint_both_witnesses_cosigned(
        cosigned, pair, live_server, capsys):
    code, out = _verify_tiles(live_server.url, cosigned, "--witness", pair[0].verifier,
                              "--witness", pair[1].verifier, "--witnesses-required", "2", capsys=capsys)
    assert code == 0, out
    assert "PROVEN: witnesses vouch for this checkpoint: witness.test/w1 (cosigned " in out
    assert "witness.test/w2 (cosigned " in out
    assert "PROVEN: leaf 2, revision" in out
    assert "hash tiles, are exactly the signed log" in out


def test_a_reader_who_requires_a_witness_that_never_cosigned_is_refused_from_the_tiles(
        cosigned, pair, live_server, tmp_path, capsys):
    stranger = WitnessProcess(tmp_path / "w3", "witness.test/w3", [cosigned.verifier()])  # never asked
    code, out = _verify_tiles(live_server.url, cosigned, "--witness", pair[0].verifier,
                              "--witness", stranger.verifier, "--witnesses-required", "2", capsys=capsys)
    assert code == 1
    assert "missing: witness.test/w3 (cosigned by: witness.test/w1)" in out

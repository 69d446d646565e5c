"""The standalone verifier's tiles mode: proofs built from /log/ tiles alone, checked against signed roots.

Against the synthetic log of 65,537 leaves (conftest), served in process;
tests/reliability/test_log_tamper.py runs the script against a live server.
"""

from __future__ import annotations

import base64
import json

import pytest

from publiclog import checkpoints
from tools import tiles_checks
from tools import verify_log as standalone
from tools.log_checks import check_consistency

pytestmark = pytest.mark.django_db


class InProcess:
    """The verifier's view of a server (GETs by path), answered by the Django test client."""

    def __init__(self, client) -> None:
        self.client, self.paths = client, []

    def get(self, path: str, **params) -> bytes:
        self.paths.append(path)
        response = self.client.get(path, params)
        if response.status_code != 200:
            raise standalone.Failure(f"The server answered {response.status_code} to {path}")
        return response.content


@pytest.fixture(scope="module")
def signed(big_log, django_db_blocker):
    """Checkpoints at 300 leaves and at all 65,537 (signed once, in big_log's transaction), opened."""
    key = standalone.parse_verifier(checkpoints.signing_key().verifier())
    with django_db_blocker.unblock():
        return {size: standalone.open_checkpoint(checkpoints.sign_checkpoint(size).note, key)
                for size in (300, 65_537)}


def _state(checkpoint) -> dict:
    return {"checkpoints": [{"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode(),
                             "seen": "earlier"}]}


def test_a_leaf_is_proven_from_its_bundle_and_at_most_four_tiles(client, signed, capsys):
    server, report = InProcess(client), standalone.Report()
    tiles = tiles_checks.open_tiles(server, 65_537)
    tiles_checks.check_tiles_inclusion(report, tiles, signed[65_537], 40_000)
    out = capsys.readouterr().out
    assert report.failures == 0, out
    assert "PROVEN: leaf 40000, revision" in out
    assert len(server.paths) <= 5 and all(path.startswith("/log/tile/") for path in server.paths)


def test_every_leaf_near_a_tile_boundary_is_proven_from_tiles(client, signed, capsys):
    tiles = tiles_checks.open_tiles(InProcess(client), 65_537)
    report = standalone.Report()
    for index in (0, 255, 256, 257, 65_535, 65_536):
        tiles_checks.check_tiles_inclusion(report, tiles, signed[65_537], index)
    assert report.failures == 0, capsys.readouterr().out


def test_a_leaf_is_not_proven_against_another_log_s_root(client, signed, capsys):
    forged = standalone.Checkpoint(signed[65_537].origin, 65_537, signed[300].root)
    report = standalone.Report()
    tiles_checks.check_tiles_inclusion(report, tiles_checks.open_tiles(InProcess(client), 65_537), forged, 7)
    assert report.failures == 1 and "is NOT in the signed log" in capsys.readouterr().out


def test_a_saved_checkpoint_is_proven_consistent_with_the_new_one_from_tiles(client, signed, capsys):
    report = standalone.Report()
    proof = tiles_checks.tiles_consistency_proof(InProcess(client))
    assert check_consistency(report, proof, _state(signed[300]), signed[65_537])
    assert "extends the 300 leaves you saw on earlier" in capsys.readouterr().out


def test_a_saved_checkpoint_of_another_history_is_not_consistent(client, signed, capsys):
    other = standalone.Checkpoint(signed[300].origin, 300, bytes(32))
    report = standalone.Report()
    proof = tiles_checks.tiles_consistency_proof(InProcess(client))
    assert not check_consistency(report, proof, _state(other), signed[65_537])
    assert "is NOT CONSISTENT with the 300 leaves" in capsys.readouterr().out


def _revision_at(big_log, leaf: int) -> int:
    return json.loads(big_log.entries[leaf])["revision"]


@pytest.mark.parametrize("leaf", [0, 255, 256, 40_000, 65_536])
def test_a_revision_s_leaf_is_found_in_the_entry_bundles_by_binary_search(client, big_log, leaf):
    server = InProcess(client)
    tiles = tiles_checks.open_tiles(server, 65_537)
    assert tiles_checks.leaf_of_revision(tiles, _revision_at(big_log, leaf)) == leaf
    # 257 bundles: about log2(257) of them read, every one under /log/.
    assert len(server.paths) <= 9 and all(path.startswith("/log/tile/entries/") for path in server.paths)


def test_a_revision_with_no_leaf_is_reported_missing_from_the_bundles(client, big_log):
    tiles = tiles_checks.open_tiles(InProcess(client), 65_537)
    beyond = _revision_at(big_log, 65_536) + 1
    with pytest.raises(standalone.Failure, match=f"Revision {beyond} has no leaf in the signed log"):
        tiles_checks.leaf_of_revision(tiles, beyond)


def test_the_tiles_mode_proves_a_revision_without_asking_the_api(client, signed, big_log, capsys,
                                                                 monkeypatch):
    server = InProcess(client)
    monkeypatch.setattr(standalone, "Server", lambda url: server)
    revision = _revision_at(big_log, 30_000)
    code = standalone.main(["--tiles", "--server", "http://in-process", "--key",
                            checkpoints.signing_key().verifier(), "--revision", str(revision)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"PROVEN: leaf 30000, revision {revision} " in out
    assert all(path.startswith("/log/") for path in server.paths), server.paths

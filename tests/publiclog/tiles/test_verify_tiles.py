"""The standalone verifier's tiles mode: proofs built from /log/ tiles alone, checked against signed roots.

Against the synthetic log of 65,537 leaves (conftest), served in process;
tests/reliability/test_log_tamper.py runs the script against a live server.
"""

from __future__ import annotations

import base64

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

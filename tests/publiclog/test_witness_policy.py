"""cosignature/v1 as C2SP tlog-cosignature gives it, and the reader's witness policy in verify_log."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from django.core.management import call_command

from publiclog import checkpoints
from tests.factories import make_story
from tools import verify_log as standalone
from tools import witness as witness_program
from tools import witness_policy

# The spec's example (c2sp.org/tlog-cosignature): a checkpoint, its cosigned message, a cosignature.
SPEC_BODY = ("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
SPEC_MESSAGE = ("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
                "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")
SPEC_COSIGNATURE = ("jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0"
                    "xUe+mbIUBkBIfZ+qnA==")


def _witness(name: str) -> witness_program.Cosigner:
    return witness_program.Cosigner(name, witness_program.Ed25519PrivateKey.generate())


def _body(note: str) -> str:
    """The checkpoint text of a signed note: what a cosignature signs (after its two header lines)."""
    return note[:note.rindex("\n\n") + 1]


def test_the_signed_message_is_the_header_the_time_line_then_the_checkpoint_body():
    assert witness_program.cosigned_message(SPEC_BODY, 1679315147) == SPEC_MESSAGE.encode()


def test_a_cosignature_is_key_id_then_a_big_endian_timestamp_then_an_ed25519_signature():
    raw = base64.b64decode(SPEC_COSIGNATURE)
    assert (len(raw), int.from_bytes(raw[4:12], "big")) == (4 + 8 + 64, 1679315147)
    line = _witness("witness.example/w1").cosign(SPEC_BODY, 1679315147)
    ours = base64.b64decode(line.split(" ")[2])
    assert (len(ours), ours[4:12]) == (len(raw), raw[4:12])


def test_a_witness_key_id_hashes_its_name_a_newline_the_type_0x04_and_the_key():
    witness = _witness("witness.example/w1")
    public = base64.b64decode(witness.verifier().split("+", 2)[2])
    assert public[:1] == b"\x04"
    assert witness.key_id == hashlib.sha256(b"witness.example/w1\n" + public).digest()[:4]


def test_a_cosignature_on_an_altered_checkpoint_is_invalid():
    witness = _witness("witness.example/w1")
    note = SPEC_BODY + "\n\u2014 example.com/behind-the-sofa AAAAAA==\n"
    forged = note.replace("20852163", "20852164") + witness.cosign(SPEC_BODY, 1679315147)
    policy = witness_policy.Policy.from_keys([witness.verifier()])
    assert policy.check(note + witness.cosign(SPEC_BODY, 1679315147))[0].timestamp == 1679315147
    with pytest.raises(witness_policy.PolicyFailure, match="INVALID"):
        policy.check(forged)


@pytest.fixture
def signed_log(editor, tmp_path):
    make_story(author=editor)
    checkpoint = checkpoints.publish_checkpoint()
    call_command("export_log", str(tmp_path / "log.jsonl"))
    return checkpoint, tmp_path


def _verify(folder, note: str, *witness_args: str, capsys) -> tuple[int, str]:
    (folder / "checkpoint.txt").write_text(note, encoding="utf-8")
    code = standalone.main(["--key", checkpoints.signing_key().verifier(), "--log", str(folder / "log.jsonl"),
                            "--checkpoint", str(folder / "checkpoint.txt"), *witness_args])
    return code, capsys.readouterr().out


@pytest.mark.django_db
def test_the_verifier_fails_a_checkpoint_with_too_few_cosignatures_naming_the_missing(signed_log, capsys):
    checkpoint, folder = signed_log
    w1, w2, w3 = (_witness(f"witness.example/w{n}") for n in (1, 2, 3))
    note = checkpoint.note + w1.cosign(_body(checkpoint.note), int(time.time()))
    code, out = _verify(folder, note, "--witness", w1.verifier(), "--witness", w2.verifier(),
                        "--witness", w3.verifier(), "--witnesses-required", "2", capsys=capsys)
    assert code == 1
    assert ("has 1 of the 2 witness cosignature(s) the policy requires; missing: witness.example/w2, "
            "witness.example/w3 (cosigned by: witness.example/w1).") in out


@pytest.mark.django_db
def test_the_verifier_passes_a_checkpoint_with_enough_cosignatures(signed_log, capsys):
    checkpoint, folder = signed_log
    w1, w2, w3 = (_witness(f"witness.example/w{n}") for n in (1, 2, 3))
    body, now = _body(checkpoint.note), int(time.time())
    note = checkpoint.note + w1.cosign(body, now) + w3.cosign(body, now)
    code, out = _verify(folder, note, "--witness", w1.verifier(), "--witness", w2.verifier(),
                        "--witness", w3.verifier(), "--witnesses-required", "2", capsys=capsys)
    assert code == 0, out
    assert "PROVEN: witnesses vouch for this checkpoint: witness.example/w1 (cosigned " in out


"""Signed checkpoints: C2SP tlog-checkpoint bodies in Ed25519 signed notes, on a beat, all kept."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from publiclog import checkpoints, tasks
from record.models import LogCheckpoint
from tests.factories import make_story
from tools import verify_log as standalone

pytestmark = pytest.mark.django_db


def test_a_checkpoint_note_is_origin_size_root_then_an_em_dash_signature_line(editor, log_signing_key):
    make_story(author=editor)
    note = checkpoints.publish_checkpoint().note
    origin, size, root, blank, signature, end = note.split("\n")
    assert (origin, size, blank, end) == (log_signing_key.name, "1", "", "")
    assert len(base64.b64decode(root)) == 32
    assert signature.startswith(f"\u2014 {log_signing_key.name} ")
    raw = base64.b64decode(signature.rsplit(" ", 1)[1])
    assert raw[:4] == log_signing_key.key_id and len(raw) == 4 + 64


def test_the_key_id_is_the_first_four_bytes_of_sha256_of_name_newline_type_and_key(log_signing_key):
    signed = log_signing_key.name.encode() + b"\n\x01" + log_signing_key.public_bytes
    expected = hashlib.sha256(signed).digest()[:4]
    assert log_signing_key.key_id == expected
    assert standalone.parse_verifier(log_signing_key.verifier()).key_id == expected


def test_a_signer_key_reads_back_as_the_same_key(log_signing_key):
    assert checkpoints.parse_signer(log_signing_key.signer()).verifier() == log_signing_key.verifier()


def test_a_signature_by_another_key_does_not_verify(editor):
    make_story(author=editor)
    note = checkpoints.publish_checkpoint().note
    stranger = checkpoints.generate_key(checkpoints.signing_key().name)
    with pytest.raises(standalone.Failure, match="INVALID|no signature"):
        standalone.open_checkpoint(note, standalone.parse_verifier(stranger.verifier()))


def test_an_unchanged_log_is_not_signed_again_and_old_checkpoints_are_kept(editor):
    make_story(author=editor)
    first = tasks.publish_checkpoint()
    assert tasks.publish_checkpoint() == first == 1
    make_story(author=editor)
    assert tasks.publish_checkpoint() == 2
    assert list(LogCheckpoint.objects.values_list("size", flat=True)) == [1, 2]


def test_beat_signs_at_least_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["log-checkpoint"]
    assert entry["task"] == "publiclog.tasks.publish_checkpoint"
    assert entry["schedule"] <= 60


def test_without_a_key_signing_is_refused_with_what_to_set(settings, editor):
    settings.LOG_SIGNING_KEY = ""
    settings.LOG_SIGNING_KEY_FILE = ""
    make_story(author=editor)
    with pytest.raises(ImproperlyConfigured, match="LOG_SIGNING_KEY"):
        checkpoints.publish_checkpoint()


def test_the_key_can_come_from_a_file(settings, tmp_path, log_signing_key):
    path = tmp_path / "log.key"
    path.write_text(log_signing_key.signer() + "\n")
    settings.LOG_SIGNING_KEY, settings.LOG_SIGNING_KEY_FILE = "", str(path)
    assert checkpoints.signing_key().verifier() == log_signing_key.verifier()

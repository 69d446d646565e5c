"""A claim's verification history is read back from its versions."""

import pytest

from claims.models import Claim
from claims.selectors import claim_verification_history
from claims.services import claim_update, claim_verify
from record.diff import diff_versions
from record.selectors import version_get
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_each_status_the_claim_had_is_recoverable(editor):
    claim = make_claim(author=editor)
    claim = claim_verify(author=editor, claim=claim, base_version=1,
                         verification=Claim.Verification.DISPUTED, note="Denied by the ministry",
                         message="Disputed")
    claim = claim_update(author=editor, claim=claim, base_version=2, message="Typo",
                         changes={"paraphrase": "Reworded"}, minor=True)
    claim_verify(author=editor, claim=claim, base_version=3,
                 verification=Claim.Verification.CONFIRMED, note="Satellite images",
                 message="Confirmed by imagery")

    steps = claim_verification_history(claim.pk)

    assert [s.verification for s in steps] == ["unverified", "disputed", "confirmed"]
    assert [s.version for s in steps] == [1, 2, 4]
    assert steps[1].note == "Denied by the ministry"
    assert steps[2].message == "Confirmed by imagery"
    assert steps[2].author == editor.username


def test_a_verification_change_shows_in_the_version_diff(editor):
    claim = make_claim(author=editor)
    claim_verify(author=editor, claim=claim, base_version=1,
                 verification=Claim.Verification.REFUTED, note="Footage was from 2020",
                 message="Refuted")
    changes = {c.field: c for c in diff_versions(version_get(Claim, pk=claim.pk, version=1),
                                                 version_get(Claim, pk=claim.pk, version=2))}
    assert (changes["verification"].before, changes["verification"].after) == ("unverified", "refuted")
    assert changes["verification_note"].after == "Footage was from 2020"


def test_reading_the_history_takes_one_query(editor, django_assert_num_queries):
    claim = make_claim(author=editor)
    for version, status in enumerate(["disputed", "confirmed", "refuted", "disputed"], start=1):
        claim = claim_verify(author=editor, claim=claim, base_version=version,
                             verification=status, note=status, message=status)
    with django_assert_num_queries(1):
        assert len(claim_verification_history(claim.pk)) == 5

"""Retract, never delete: a reason is required and the item stays with its history."""

import pytest

from claims.models import Claim
from events.models import Development
from tests.factories import make_claim, make_development

pytestmark = pytest.mark.django_db


def test_retracting_a_development_needs_a_reason(desk):
    development = make_development()
    url = f"/admin/events/development/{development.pk}/retract/"
    response = desk.post(url, {"reason": "  ", "base_version": "1"})
    assert "reason" in response.context["form"].errors
    assert Development.objects.get(pk=development.pk).status == "reported"


def test_a_retraction_is_a_new_version_with_the_reason(desk, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    development = make_development()
    response = desk.post(f"/admin/events/development/{development.pk}/retract/",
                         {"reason": "Based on a fabricated report", "base_version": "1"})
    assert response.status_code == 302
    development.refresh_from_db()
    assert (development.status, development.retraction_reason, development.version) == (
        "retracted", "Based on a fabricated report", 2)
    assert development.history.get(version=2).revision.kind == "retraction"


def test_a_claim_is_retracted_the_same_way(desk, settings):
    settings.REVIEW_CORRECTIONS = False  # the review rule off: published at once (drafts.review)
    claim = make_claim()
    desk.post(f"/admin/claims/claim/{claim.pk}/retract/", {"reason": "Misattributed", "base_version": "1"})
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.retracted, claim.retraction_reason) == (True, "Misattributed")


@pytest.mark.parametrize("path", ["events/story", "events/development", "claims/claim",
                                  "events/actor", "events/source", "record/revision"])
def test_nothing_versioned_can_be_deleted(admin_client, path):
    changelist = admin_client.get(f"/admin/{path}/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()


def test_even_a_superuser_has_no_delete_page(admin_client):
    development = make_development()
    response = admin_client.get(f"/admin/events/development/{development.pk}/delete/")
    assert response.status_code == 403
    assert Development.objects.filter(pk=development.pk).exists()

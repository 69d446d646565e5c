"""The admin: subscriptions are read-only, and an editor can preview the next digest."""

import pytest

from digests.models import Digest
from tests.digests.helpers import make_subscription, revise
from tests.factories import make_development, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_the_preview_shows_the_digest_the_subscription_would_get_now(admin_client, editor):
    development = make_development(author=editor, summary="Fighting reported.")
    subscription = make_subscription(development.story)
    revise(development, editor, summary="Fighting <b>reported</b> in the north.")

    response = admin_client.get(f"/admin/digests/subscription/{subscription.pk}/preview/")

    assert response.status_code == 200
    assert b"north</ins>" in response.content
    assert b"<ins style=\"background:#dfd\">&lt;b&gt;</ins>" in response.content  # escaped
    assert not Digest.objects.exists()  # a preview saves and sends nothing


def test_readers_cannot_open_the_preview(client, editor):
    subscription = make_subscription()
    client.force_login(make_user())
    response = client.get(f"/admin/digests/subscription/{subscription.pk}/preview/")
    assert response.status_code == 302


def test_subscriptions_cannot_be_edited_in_the_admin(admin_client):
    subscription = make_subscription()
    response = admin_client.post(f"/admin/digests/subscription/{subscription.pk}/change/",
                                 {"email": "other@example.org"})
    assert response.status_code == 403
    subscription.refresh_from_db()
    assert subscription.email == "reader@example.org"

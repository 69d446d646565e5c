"""End to end on a real Celery worker (Redis) and a real SMTP server (aiosmtpd)."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from digests.models import Digest, Subscription
from events.models import Development
from tests.digests.helpers import make_subscription, revise, text_body
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ADDRESS = "reader@example.org"
NEW_SUMMARY = (
    "It is unclear how many people were killed on either side during the offensive. "
    "Karabakh Armenian officials later put the death toll at more than 200."
)


def test_a_subscriber_confirms_gets_the_digest_of_an_edit_and_unsubscribes_in_one_click(
    celery_redis_worker, smtp_server, demo_story, editor, client, settings,
):
    settings.SITE_URL = "https://news.example.org"
    response = client.post("/subscribe/", {"email": ADDRESS, "stories": [demo_story.pk],
                                           "frequency": "immediate"})
    assert response.status_code == 302
    [confirmation] = wait_for(lambda: smtp_server.to(ADDRESS))
    confirm_link = re.search(r"https://news\.example\.org/subscribe/confirm/\S+/", text_body(confirmation))[0]
    assert client.post(urlsplit(confirm_link).path).status_code == 200

    casualties = Development.objects.get(story=demo_story, kind="casualty_report")
    revise(casualties, editor, message="Death toll reported", summary=NEW_SUMMARY)

    digest_mail = wait_for(lambda: smtp_server.to(ADDRESS)[1:])[0]
    body = text_body(digest_mail)
    assert "Before: It is unclear how many people were killed on either side during the offensive. " \
           "It later emerged" in body
    assert f"After:  {NEW_SUMMARY}" in body
    assert "Why: Death toll reported" in body
    assert (f"https://news.example.org/stories/karabakh-2023/developments/{casualties.pk}"
            "/diff/?from=2&to=3") in body
    assert digest_mail.get_body(preferencelist=("html",)) is not None
    assert digest_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.fullmatch(r"<(https://news\.example\.org/\S+)>",
                                   digest_mail["List-Unsubscribe"].strip())[1]

    one_click = Client()  # a mail client: no cookie, no CSRF token
    response = one_click.post(urlsplit(unsubscribe_url).path, "List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscription.objects.get(email=ADDRESS).active


def test_a_refused_send_is_retried_and_delivered_exactly_once(
    celery_redis_worker, smtp_server, settings, editor,
):
    from tests.factories import make_development

    settings.DIGESTS_RETRY_BASE_SECONDS = 0
    development = make_development(author=editor, summary="First report.")
    subscription = make_subscription(development.story, frequency="immediate")
    smtp_server.fail_next = 1

    revise(development, editor, summary="Second report.")

    digest = wait_for(lambda: Digest.objects.filter(subscription=subscription,
                                                    state=Digest.State.SENT).first())
    assert smtp_server.refused == 1
    assert len(smtp_server.to(ADDRESS)) == 1
    assert [a.succeeded for a in digest.attempts.all()] == [False, True]

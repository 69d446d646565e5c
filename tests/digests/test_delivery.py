"""Delivering digests: once per window, nothing when empty, nothing before confirmation."""


import pytest
from django.core import mail
from django.core.management import call_command

from digests import delivery, services
from digests.models import Digest, Subscription
from tests.digests.helpers import make_subscription, revise, text_body
from tests.factories import make_development, make_story
from tests.racing import at_once

ADDRESS = "reader@example.org"


@pytest.mark.django_db
def test_running_the_daily_job_twice_sends_one_email(smtp_server, editor):
    development = make_development(author=editor, summary="Shelling reported.")
    make_subscription(development.story)
    revise(development, editor, summary="Heavy shelling reported.")

    call_command("send_digests", "--frequency", "daily")
    call_command("send_digests", "--frequency", "daily")

    [message] = smtp_server.to(ADDRESS)
    assert "After:  Heavy shelling reported." in text_body(message)
    assert Digest.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_window_sends_nothing_and_moves_the_cursor(smtp_server, editor):
    followed, other = make_story(author=editor), make_story(author=editor)
    subscription = make_subscription(followed)
    make_development(other, author=editor)

    call_command("send_digests", "--frequency", "daily")

    assert smtp_server.messages == []
    assert not Digest.objects.exists()
    subscription.refresh_from_db()
    assert subscription.cursor == services.latest_revision_id()


@pytest.mark.django_db
def test_minor_edits_are_sent_only_to_those_who_asked_for_them(smtp_server, editor):
    development = make_development(author=editor, title="Talks in Yevlakh")
    make_subscription(development.story, email="strict@example.org")
    make_subscription(development.story, email="thorough@example.org", include_minor=True)
    revise(development, editor, minor=True, message="Typo", title="Talks in Yevlakh.")

    call_command("send_digests", "--frequency", "daily")

    assert smtp_server.to("strict@example.org") == []
    [message] = smtp_server.to("thorough@example.org")
    assert "After:  Talks in Yevlakh." in text_body(message)


@pytest.mark.django_db
def test_unconfirmed_addresses_get_only_the_confirmation(
    client, editor, django_capture_on_commit_callbacks,
):
    development = make_development(author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/subscribe/", {"email": ADDRESS, "stories": [development.story.pk],
                                    "frequency": "daily"})
    revise(development, editor, summary="Something new.")

    call_command("send_digests", "--frequency", "daily")
    delivery.digests_deliver(Digest.objects.values_list("id", flat=True))

    [confirmation] = mail.outbox
    assert confirmation.subject.startswith("Confirm your subscription")
    assert not Digest.objects.exists()


@pytest.mark.django_db
def test_a_digest_is_multipart_with_one_click_unsubscribe_headers(smtp_server, editor):
    development = make_development(author=editor)
    subscription = make_subscription(development.story)
    revise(development, editor, summary="Something new.")

    call_command("send_digests", "--frequency", "daily")

    [message] = smtp_server.to(ADDRESS)
    assert message.is_multipart()
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    digest = Digest.objects.get(subscription=subscription)
    assert str(digest.message_id) in message["Message-ID"]


@pytest.mark.django_db
def test_digests_pending_for_an_unsubscribed_address_are_not_sent(smtp_server, editor):
    development = make_development(author=editor)
    subscription = make_subscription(development.story)
    revise(development, editor, summary="Something new.")
    [digest] = services.digests_run("daily")
    Subscription.objects.filter(pk=subscription.pk).update(active=False)

    assert delivery.digests_deliver([digest.pk]) == []

    assert smtp_server.messages == []
    digest.refresh_from_db()
    assert digest.state == Digest.State.FAILED


@pytest.mark.django_db
def test_many_digests_go_out_over_one_smtp_connection(smtp_server, editor, monkeypatch):
    from django.core.mail.backends.smtp import EmailBackend

    development = make_development(author=editor)
    for n in range(3):
        make_subscription(development.story, email=f"reader{n}@example.org")
    revise(development, editor, summary="Something new.")
    opened = []
    original_open = EmailBackend.open
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(original_open(self)) or opened[-1])

    call_command("send_digests", "--frequency", "daily")

    assert len(smtp_server.messages) == 3
    assert opened.count(True) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_one_window_create_one_digest(editor):
    development = make_development(author=editor)
    subscription = make_subscription(development.story)
    revise(development, editor, summary="Something new.")
    results = at_once(*[lambda: services.digest_create_for(subscription,
                                                           services.latest_revision_id())] * 2)

    assert Digest.objects.filter(subscription=subscription).count() == 1
    assert len({digest.pk for digest in results}) == 1

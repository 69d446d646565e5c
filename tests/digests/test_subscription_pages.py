"""The public pages: subscribe (CSRF, errors), confirm and unsubscribe by signed link."""

import pytest
from django.test import Client

from digests import tokens
from digests.models import Subscription
from tests.digests.helpers import make_subscription

pytestmark = pytest.mark.django_db


def test_the_subscribe_form_carries_a_csrf_token(client):
    response = client.get("/subscribe/")
    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_a_post_without_the_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post(
        "/subscribe/", {"email": "a@example.org", "frequency": "daily"})
    assert response.status_code == 403
    assert not Subscription.objects.exists()


def test_a_bad_address_is_a_form_error_and_nothing_is_recorded(client):
    response = client.post("/subscribe/", {"email": "not-an-address", "frequency": "sometimes"})
    assert response.status_code == 400
    assert b"Enter a valid email address." in response.content
    assert b"Select a valid choice." in response.content
    assert not Subscription.objects.exists()


def test_subscribing_records_an_unconfirmed_subscription(client, demo_story):
    client.post("/subscribe/", {"email": "a@example.org", "stories": [demo_story.pk],
                                "frequency": "weekly"})
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.frequency, subscription.confirmed_at) == (
        "a@example.org", "weekly", None)
    assert list(subscription.stories.all()) == [demo_story]


def test_opening_the_confirmation_link_does_not_confirm_by_itself(client):
    subscription = make_subscription(confirmed=False)
    url = f"/subscribe/confirm/{tokens.token_for(subscription, tokens.CONFIRM)}/"
    assert client.get(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert client.post(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_an_altered_confirmation_link_is_refused(client):
    subscription = make_subscription(confirmed=False)
    token = tokens.token_for(subscription, tokens.CONFIRM)
    assert client.post(f"/subscribe/confirm/{token[:-2]}xx/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_an_unsubscribe_token_cannot_confirm(client):
    subscription = make_subscription(confirmed=False)
    token = tokens.token_for(subscription, tokens.UNSUBSCRIBE)
    assert client.post(f"/subscribe/confirm/{token}/").status_code == 400


def test_a_get_of_the_unsubscribe_link_never_unsubscribes(client):
    subscription = make_subscription()
    response = client.get(f"/unsubscribe/{tokens.token_for(subscription, tokens.UNSUBSCRIBE)}/")
    assert response.status_code == 200
    assert b'method="post"' in response.content
    subscription.refresh_from_db()
    assert subscription.active


def test_the_one_click_post_unsubscribes_without_cookie_or_csrf_token():
    subscription = make_subscription()
    token = tokens.token_for(subscription, tokens.UNSUBSCRIBE)
    response = Client(enforce_csrf_checks=True).post(
        f"/unsubscribe/{token}/", "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.active


def test_an_altered_unsubscribe_link_is_refused(client):
    subscription = make_subscription()
    assert client.post("/unsubscribe/not-a-token/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.active


def test_subscribing_again_to_the_same_stories_resends_the_confirmation_instead_of_a_duplicate(
        client, demo_story, mailoutbox, django_capture_on_commit_callbacks):
    form = {"email": "a@example.org", "stories": [demo_story.pk], "frequency": "weekly"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/subscribe/", form)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post("/subscribe/", form)
    assert Subscription.objects.count() == 1
    assert [m.to for m in mailoutbox] == [["a@example.org"], ["a@example.org"]]
    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])


def test_subscribing_a_confirmed_address_again_records_nothing_and_answers_as_for_a_new_one(
        client, demo_story, mailoutbox, django_capture_on_commit_callbacks):
    make_subscription(demo_story, email="a@example.org")
    form = {"email": "A@example.org", "stories": [demo_story.pk], "frequency": "daily"}
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/subscribe/", form)
    with django_capture_on_commit_callbacks(execute=True):
        stranger = client.post("/subscribe/", {**form, "email": "b@example.org"})
    assert Subscription.objects.filter(email__iexact="a@example.org").count() == 1
    assert (known.status_code, known["Location"]) == (stranger.status_code, stranger["Location"])

"""Signed tokens in subscription links: confirm (expires) and unsubscribe (does not)."""

from __future__ import annotations

from django.core import signing

from .models import Subscription

CONFIRM = "digests.confirm"
UNSUBSCRIBE = "digests.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class InvalidToken(Exception):
    """The link was altered, has expired, or names a subscription that is gone."""


def token_for(subscription: Subscription, purpose: str) -> str:
    # The address is signed too: a token stays bound to the address it was sent to.
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=purpose)


def subscription_for(token: str, purpose: str) -> Subscription:
    max_age = CONFIRM_MAX_AGE if purpose == CONFIRM else None
    try:
        data = signing.loads(token, salt=purpose, max_age=max_age)
        return Subscription.objects.get(pk=data["s"], email=data["e"])
    except (signing.BadSignature, Subscription.DoesNotExist, KeyError, TypeError) as exc:
        raise InvalidToken(str(exc)) from exc

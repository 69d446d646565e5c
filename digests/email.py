"""Digest and confirmation emails: multipart text + HTML, with RFC 8058 one-click unsubscribe."""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from tracker.site import absolute

from . import tokens
from .builder import SECTIONS
from .models import Digest, Subscription

SECTION_TITLES = {
    "corrections": "Corrections",
    "retractions": "Retractions",
    "new_developments": "New developments",
    "changed_developments": "Updated developments",
    "new_claims": "New claims",
    "verification_changes": "Claims re-assessed",
    "changed_claims": "Updated claims",
    "changed_sources": "Sources changed or gone since cited",
}


def confirm_url(subscription: Subscription) -> str:
    return absolute(reverse("digests:confirm", args=[tokens.token_for(subscription, tokens.CONFIRM)]))


def unsubscribe_url(subscription: Subscription) -> str:
    token = tokens.token_for(subscription, tokens.UNSUBSCRIBE)
    return absolute(reverse("digests:unsubscribe", args=[token]))


def digest_context(content: dict, subscription: Subscription | None = None) -> dict:
    """What the digest templates (email and admin preview) render: sections in reading order."""
    stories = []
    for story in content.get("stories", []):
        sections = [(SECTION_TITLES[name], name, story[name]) for name in SECTIONS if story[name]]
        stories.append({**story, "sections": sections})
    return {
        "content": content, "stories": stories, "subscription": subscription,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(subscription) if subscription and subscription.pk else "",
    }


def render_digest_html(content: dict, subscription: Subscription | None = None) -> str:
    return render_to_string("digests/email/digest.html", digest_context(content, subscription))


def digest_subject(content: dict) -> str:
    # One line whatever the title holds: a line break in a header is refused (BadHeaderError).
    titles = [" ".join(story["title"].split()) for story in content.get("stories", [])]
    if len(titles) == 1:
        return f"What changed: {titles[0]}"
    return f"What changed in {len(titles)} stories you follow"


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    subscription = digest.subscription
    unsubscribe = unsubscribe_url(subscription)
    text, html = _digest_bodies(
        json.dumps(digest.content, sort_keys=True), subscription.get_frequency_display(),
        settings.SITE_URL,
    )
    message = EmailMultiAlternatives(
        subject=digest_subject(digest.content),
        body=text.replace(_UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Stable per digest: a resend after a crash mid-send is recognisably the same mail.
            "Message-ID": f"<digest-{digest.message_id}@{_mail_domain()}>",
        },
    )
    message.attach_alternative(html.replace(_UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe)), "text/html")
    return message


# Every subscriber of one filter set gets the same window: its text and HTML are
# rendered once per run and only the personal unsubscribe link differs.
_UNSUBSCRIBE_PLACEHOLDER = "https://unsubscribe.invalid/personal-link"


@lru_cache(maxsize=64)
def _digest_bodies(content_json: str, frequency: str, site_url: str) -> tuple[str, str]:
    # site_url is part of the key: links in the bodies are built from it.
    context = digest_context(json.loads(content_json))
    context.update(subscription={"get_frequency_display": frequency},
                   unsubscribe_url=_UNSUBSCRIBE_PLACEHOLDER)
    return (render_to_string("digests/email/digest.txt", context),
            render_to_string("digests/email/digest.html", context))


def confirmation_message(subscription: Subscription) -> EmailMultiAlternatives:
    context = {"subscription": subscription, "confirm_url": confirm_url(subscription),
               "stories": list(subscription.stories.order_by("title")), "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject="Confirm your subscription to the tracker's digests",
        body=render_to_string("digests/email/confirm.txt", context),
        to=[subscription.email],
    )
    message.attach_alternative(render_to_string("digests/email/confirm.html", context), "text/html")
    return message


def _mail_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"

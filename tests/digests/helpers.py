"""Small helpers for digest tests: edits through the services, windows by revision id."""

from __future__ import annotations

from events import services
from events.models import Development
from record.selectors import latest_revision_id


def revise(development: Development, author, *, minor: bool = False, kind: str = "update",
           message: str = "Edit", **changes) -> Development:
    development = Development.objects.get(pk=development.pk)
    return services.development_update(
        author=author, development=development, base_version=development.version,
        message=message, changes=changes, minor=minor, kind=kind,
    )


def cursor() -> int:
    return latest_revision_id()


def story_entry(content: dict, slug: str) -> dict:
    [story] = [s for s in content["stories"] if s["slug"] == slug]
    return story


def make_subscription(*stories, email: str = "reader@example.org", frequency: str = "daily",
                      confirmed: bool = True, **fields):
    """A subscription following `stories`, confirmed now with its cursor at the latest revision."""
    from django.utils import timezone

    from digests.models import Subscription

    subscription = Subscription.objects.create(
        channel="email", email=email, frequency=frequency, cursor=cursor(),
        confirmed_at=timezone.now() if confirmed else None, **fields,
    )
    subscription.stories.set(stories)
    return subscription


def text_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()

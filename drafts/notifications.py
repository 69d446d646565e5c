"""Who is told by email of a draft's step: reviewers of a submitted correction, its author of the rest.

The drafts services call `draft_stepped` once per step; the email is queued
after the step commits (record.aftercommit) and sent by drafts.tasks through
Django's mail with the project's settings (EMAIL_URL, DEFAULT_FROM_EMAIL).
Nobody is told of their own step. `DRAFTS_EMAIL_REVIEWERS` and
`DRAFTS_EMAIL_AUTHORS` turn either kind of message off.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse

from record.aftercommit import enqueue
from tracker.site import absolute

from .models import Draft, DraftEvent

# The steps that tell someone, and whom: reviewers (a submitted correction or
# retraction waits for them) or the draft's author (what became of it).
FOR_REVIEWERS = (DraftEvent.Action.SUBMITTED,)
FOR_AUTHOR = (DraftEvent.Action.APPROVED, DraftEvent.Action.SENT_BACK, DraftEvent.Action.PUBLISHED)


def draft_stepped(draft: Draft, action: str) -> None:
    """Queue the email `action` on `draft` calls for, once the step commits (if any is due)."""
    if action in FOR_REVIEWERS and not (draft.needs_review and settings.DRAFTS_EMAIL_REVIEWERS):
        return
    if action in FOR_AUTHOR and not settings.DRAFTS_EMAIL_AUTHORS:
        return
    if action not in FOR_REVIEWERS + FOR_AUTHOR:
        return
    from .tasks import tell_of_draft_step  # the task module imports the services, which import this one

    enqueue(tell_of_draft_step, draft.pk, action)


def reviewers_to_tell(draft: Draft) -> list[str]:
    """The addresses of everyone who may review the draft: active, with an address, not its author."""
    permission = Permission.objects.filter(content_type__app_label="drafts", codename="review_draft")
    reviewers = get_user_model().objects.filter(
        Q(groups__permissions__in=permission) | Q(user_permissions__in=permission) | Q(is_superuser=True),
        is_active=True,
    ).exclude(email="").exclude(pk=draft.author_id)
    return sorted(set(reviewers.values_list("email", flat=True)))


def review_url(draft: Draft) -> str:
    return absolute(reverse("admin:drafts_draft_change", args=[draft.pk]))


def draft_step_message(draft: Draft, action: str) -> EmailMessage | None:
    """The one message a step sends (None: nobody to tell)."""
    event = draft.events.filter(action=action).select_related("actor").order_by("-at", "-id").first()
    actor = event.actor.get_username() if event else "someone"
    kind = draft.get_kind_display().lower()
    what = str(draft).split(": ", 1)[-1]
    if action in FOR_REVIEWERS:
        recipients = reviewers_to_tell(draft)
        subject = f"To review: a {kind} by {draft.author.get_username()}: {what}"
        lines = [f"{draft.author.get_username()} submitted a {kind} for review.",
                 "", f"What changed and why: {draft.message}", "",
                 f"Approve it or send it back: {review_url(draft)}"]
    else:
        author = draft.author
        if event is None or event.actor_id == author.pk or not author.email or not author.is_active:
            return None
        recipients = [author.email]
        done = {DraftEvent.Action.APPROVED: "approved", DraftEvent.Action.SENT_BACK: "sent back",
                DraftEvent.Action.PUBLISHED: "published"}[action]
        subject = f"Your {kind} was {done} by {actor}: {what}"
        lines = [f"{actor} {done} your {kind}."]
        if event.comment:
            lines += ["", f"{actor} wrote (seen by you and the other editors on the draft's page):",
                      event.comment]
        if action == DraftEvent.Action.APPROVED:
            lines += ["", "It can be published now."]
        lines += ["", f"The draft: {review_url(draft)}"]
    if not recipients:
        return None
    return EmailMessage(subject=" ".join(subject.split())[:180], body="\n".join(lines) + "\n", to=recipients,
                        from_email=settings.DEFAULT_FROM_EMAIL)


def draft_step_send(draft_id: int, action: str) -> bool:
    """Send the message of `action` on the draft; False when there was nobody to tell."""
    draft = Draft.objects.select_related("author").filter(pk=draft_id).first()
    message = draft_step_message(draft, action) if draft else None
    if message is None:
        return False
    message.send()
    return True

"""Create the demo's local accounts (an editor and a reviewer) and say how to log in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from desk.roles import EDITORS_GROUP, REVIEWERS_GROUP
from tracker.site import absolute

# (username, password, groups): local demo accounts, refused when DEBUG is off.
ACCOUNTS = (
    ("editor", "editor-demo", (EDITORS_GROUP,)),
    # A second person, so the review loop (a correction approved by someone
    # other than its author) can be tried at once.
    ("reviewer", "reviewer-demo", (EDITORS_GROUP, REVIEWERS_GROUP)),
)
USERNAME, PASSWORD = ACCOUNTS[0][:2]


class Command(BaseCommand):
    help = "Create the demo editor and reviewer (DEBUG only) and print how to reach the desk."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo accounts exist only with DEBUG on; use createsuperuser.")
        for username, password, groups in ACCOUNTS:
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"is_staff": True}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(*Group.objects.filter(name__in=groups))
            self.stdout.write(
                f"{username.capitalize()} login: {absolute(reverse('admin:index'))} "
                f"as {username!r} / {password!r}"
            )

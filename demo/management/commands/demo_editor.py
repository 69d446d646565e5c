"""Create a local editor account for the demo and say how to log in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from desk.roles import EDITORS_GROUP
from tracker.site import absolute

USERNAME = "editor"
PASSWORD = "editor-demo"  # noqa: S105 (a local demo account, refused when DEBUG is off)


class Command(BaseCommand):
    help = "Create the demo editor (DEBUG only) and print how to reach the admin."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo editor exists only with DEBUG on; use createsuperuser.")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"is_staff": True}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        self.stdout.write(
            f"Editor login: {absolute(reverse('admin:index'))} as {USERNAME!r} / {PASSWORD!r}"
        )

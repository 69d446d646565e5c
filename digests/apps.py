"""App config for digests."""

from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests and subscriptions"

    def ready(self) -> None:
        # The revision receiver connects; the tasks that digests.queue names register.
        from . import receivers, tasks  # noqa: F401

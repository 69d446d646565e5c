"""App config for digests."""

from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests and subscriptions"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the revision receiver)

"""App config for live: Server-Sent Events of committed revisions, held by Pushpin in production."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the revision receiver)

"""App config for the event store."""

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Stories and developments"

    def ready(self) -> None:
        from . import versioning  # noqa: F401  (connects the history receiver)

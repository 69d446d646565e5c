"""App config for the event store."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_editors_group(sender, apps=None, **kwargs) -> None:
    # The migration creates the group; this puts it back after a test flush
    # (TransactionTestCase empties every table, then emits post_migrate).
    from django.apps import apps as global_apps

    from .roles import sync_editors_group

    sync_editors_group(apps or global_apps)


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Stories and developments"

    def ready(self) -> None:
        from . import versioning  # noqa: F401  (connects the history receiver)

        post_migrate.connect(_ensure_editors_group, sender=self)

"""App config of the record core."""

from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "record"
    verbose_name = "Revision log"

    def ready(self) -> None:
        from . import versioning  # noqa: F401  (connects the history receiver)

"""The archive app: cited sources captured as WARC files, watched, flagged when changed or gone."""

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Source archive"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the capture-at-citation receiver)

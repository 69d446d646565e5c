"""App config for the public log: signed checkpoints over the record's Merkle tree, and its audit."""

from django.apps import AppConfig


class PublicLogConfig(AppConfig):
    name = "publiclog"
    verbose_name = "Public log"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the revision receiver)

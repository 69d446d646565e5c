"""App config of the record core."""

from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "record"
    verbose_name = "Revision log"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import versioning  # noqa: F401  (connects the history receiver)
        from .numbers import IdConverter

        # Before any URLconf is loaded: pages and the desk route `<id:pk>`.
        register_converter(IdConverter, "id")

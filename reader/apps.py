"""App config of the reader layer (between the domains and the surfaces)."""

from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Reader layer"

    def ready(self) -> None:
        from django.urls import register_converter

        from .numbers import IdConverter

        # Before any URLconf is loaded: pages and the desk route `<id:pk>`.
        register_converter(IdConverter, "id")

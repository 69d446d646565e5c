"""App config for the edge: the HTTP cache in front (Varnish) and the app's own fast 304s."""

from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "Edge cache"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the revision receiver)

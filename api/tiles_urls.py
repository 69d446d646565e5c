"""URLs of the log's tiles (C2SP tlog-tiles), mounted at /log/."""

from django.urls import path

from . import tiles

urlpatterns = [
    path("checkpoint", tiles.checkpoint, name="log-checkpoint"),
    path("tile/<path:path>", tiles.tile, name="log-tile"),
]

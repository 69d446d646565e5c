"""Memento URLs (docs/memento.md): TimeMaps of pages and API resources, and of captured sources."""

from django.urls import path

from . import sources, timemaps

app_name = "memento"

urlpatterns = [
    path("timemap/<str:form>/<path:original>", timemaps.timemap, name="timemap"),
    path("sources/<id:pk>/timegate/", sources.source_timegate, name="source_timegate"),
    path("sources/<id:pk>/timemap/<str:form>", sources.source_timemap, name="source_timemap"),
]

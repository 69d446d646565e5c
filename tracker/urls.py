"""Top-level URLs: admin, the REST API, public pages."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("tracker.api_urls")),
    path("", include("digests.urls")),
    path("", include("events.urls")),
]

"""Top-level URLs: admin, the REST API, the live streams, public pages."""

from django.contrib import admin
from django.urls import include, path

from .ratelimit import limit_failed_logins

urlpatterns = [
    # Before admin.site.urls, so the desk's own login link reaches the rate-limited view.
    path("admin/login/", limit_failed_logins(admin.site.login), name="desk_login"),
    path("admin/", admin.site.urls),
    path("", include("live.urls")),
    path("api/", include("api.urls")),
    path("log/", include("api.tiles_urls")),  # the public log as C2SP tlog-tiles
    path("", include("digests.urls")),
    path("", include("pages.urls")),
    path("", include("memento.urls")),
]

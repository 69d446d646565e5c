"""The REST API under /api/."""

from django.urls import include, path

urlpatterns = [
    path("subscriptions/", include("digests.api_urls")),
]

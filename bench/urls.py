"""The product's URLs plus /bench/floor/, the cheapest Django response: the load floor."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("tracker.urls")),
]

"""URLs that route /api/changes/ to another view: no request there is the change feed's poll."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("api/changes/", lambda request: HttpResponse("another view"))]

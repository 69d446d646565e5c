"""The live streams (DESIGN.md "Public contracts": Live)."""

from django.urls import path

from . import views

urlpatterns = [
    path("stories/<slug:slug>/live", views.story_live, name="story_live"),
    path("api/changes/stream", views.changes_stream, name="changes_stream"),
]

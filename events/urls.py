"""Public pages of stories and developments."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.story_list, name="story_list"),
]

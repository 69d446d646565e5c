"""Public pages: thin views over the selectors."""

from django.shortcuts import render

from .models import Story


def story_list(request):
    stories = Story.objects.order_by("title")
    return render(request, "events/story_list.html", {"stories": stories})

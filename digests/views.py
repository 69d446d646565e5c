"""Public subscription pages: thin views over digests.services."""

from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tracker.ratelimit import limit_subscriptions

from . import services
from .forms import SubscribeForm
from .tokens import InvalidToken


@require_http_methods(["GET", "POST"])
@limit_subscriptions
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.subscription_create(
                email_address=form.cleaned_data["email"],
                story_ids=[story.pk for story in form.cleaned_data["stories"]],
                frequency=form.cleaned_data["frequency"],
                include_minor=form.cleaned_data["include_minor"],
            )
            return redirect("digests:subscribe_sent")
        return render(request, "digests/subscribe.html", {"form": form}, status=400)
    return render(request, "digests/subscribe.html", {"form": form})


def subscribe_sent(request):
    return render(request, "digests/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # GET only shows a button: link scanners that open every URL must not subscribe anyone.
    if request.method == "GET":
        return render(request, "digests/confirm.html", {"token": token})
    try:
        subscription = services.subscription_confirm(token=token)
    except InvalidToken:
        return render(request, "digests/invalid_link.html", status=400)
    return render(request, "digests/confirmed.html", {"subscription": subscription})


@csrf_exempt  # RFC 8058: the one-click POST comes from the mail client, with no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    # A GET never unsubscribes: mail software prefetches links.
    if request.method == "GET":
        return render(request, "digests/unsubscribe.html", {"token": token})
    try:
        subscription = services.subscription_cancel(token=token)
    except InvalidToken:
        return render(request, "digests/invalid_link.html", status=400)
    return render(request, "digests/unsubscribed.html", {"subscription": subscription})

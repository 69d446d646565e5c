"""Read-only admin for subscriptions, digests and deliveries, with a digest preview."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from digests import selectors
from digests.email import digest_context
from digests.models import DeliveryAttempt, Digest, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the digest machinery only: editors look, never edit."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "channel", "frequency", "confirmed_at", "active", "disabled_reason",
                    "cursor", "preview_link")
    list_filter = ("channel", "frequency", "active")
    search_fields = ("email", "url")
    exclude = ("secret",)  # shown once, at creation through the API; never again

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<id:pk>/preview/", preview, name="digests_subscription_preview"),
                *super().get_urls()]

    @admin.display(description="Preview")
    def preview_link(self, obj):
        return format_html('<a href="{}">Preview the next digest</a>',
                           reverse("admin:digests_subscription_preview", args=[obj.pk]))

    def preview_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        subscription = get_object_or_404(Subscription, pk=pk)
        content = selectors.digest_preview(subscription)
        context = {**self.admin_site.each_context(request), **digest_context(content, subscription),
                   "opts": self.model._meta, "title": f"Preview: the digest {subscription} would get now",
                   "original": subscription}
        return TemplateResponse(request, "admin/digests/subscription/preview.html", context)


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("id", "subscription", "after", "upto", "state", "created_at", "sent_at",
                    "failed_reason")
    list_filter = ("state",)
    list_select_related = ("subscription",)


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(ReadOnlyAdmin):
    list_display = ("id", "digest", "attempted_at", "succeeded", "status_code", "error", "next_retry_at",
                    "latency_ms")
    list_filter = ("succeeded",)
    list_select_related = ("digest__subscription",)

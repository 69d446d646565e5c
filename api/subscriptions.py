"""REST API for a user's own subscriptions: webhook management, delivery log, redeliver, ping.

Every lookup goes through `get_queryset`, which holds only the requesting
user's live subscriptions, so another user's subscription is a 404 for every
verb (never a 403 that would confirm it exists).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from digests import services, webhooks
from digests.models import DeliveryAttempt, Digest, Subscription
from tracker import outbound

from .subscription_serializers import (
    DeliveryAttemptSerializer,
    PingResultSerializer,
    RedeliverSerializer,
    SecretSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
    SubscriptionWithSecretSerializer,
)
from .throttling import PerUserThrottle

NO_SUCH_DIGEST = OpenApiResponse(description="No such digest for this subscription")
IN_FLIGHT = OpenApiResponse(description="An attempt at this digest is being made right now")
OUTBOUND_ACTIONS = {"test", "redeliver", "redeliver_digest"}


class OutboundRequestThrottle(PerUserThrottle):
    """Pings and redeliveries make the tracker send a request at once: a few a minute per user."""

    scope = "webhook_outbound"
    rate = "30/minute"


@extend_schema_view(
    list=extend_schema(summary="Your subscriptions (webhook and email)"),
    retrieve=extend_schema(summary="One of your subscriptions"),
    destroy=extend_schema(summary="Delete a webhook subscription (deliveries stop; its log is kept)"),
)
class SubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    serializer_class = SubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Subscription.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        subscriptions = Subscription.objects.filter(owner=self.request.user, deleted_at__isnull=True)
        if self.action == "list":
            subscriptions = subscriptions.prefetch_related("stories")
        return subscriptions.order_by("id")

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.action in OUTBOUND_ACTIONS:
            throttles.append(OutboundRequestThrottle())
        return throttles

    def get_serializer_class(self):
        if self.action == "create":
            return SubscriptionCreateSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="Create a webhook subscription",
        request=SubscriptionCreateSerializer,
        responses={201: SubscriptionWithSecretSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = SubscriptionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            subscription, secret = services.webhook_subscription_create(
                owner=request.user, url=fields["url"], stories=fields.get("stories", []),
                kinds=fields.get("kinds", []), frequency=fields["frequency"],
                include_minor=fields["include_minor"],
            )
        except outbound.TargetRefused as exc:  # resolved differently since validation
            raise ValidationError({"url": [str(exc)]}) from None
        body = SubscriptionWithSecretSerializer(subscription, context={"secret": secret}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Subscription) -> None:
        self._webhook_only(services.subscription_delete, subscription=instance)

    @extend_schema(summary="Issue a new signing secret (shown once)", request=None,
                   responses={200: SecretSerializer})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk=None) -> Response:
        secret = self._webhook_only(services.subscription_rotate_secret, subscription=self.get_object())
        return Response(SecretSerializer({"secret": secret}).data)

    @extend_schema(summary="Pause deliveries", request=None, responses={200: SubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk=None) -> Response:
        subscription = self._webhook_only(services.subscription_pause, subscription=self.get_object())
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(summary="Resume deliveries (also after an automatic disable)", request=None,
                   responses={200: SubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk=None) -> Response:
        subscription = self._webhook_only(services.subscription_resume, subscription=self.get_object())
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(summary="Send a signed ping to the webhook URL now", request=None,
                   responses={200: PingResultSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk=None) -> Response:
        outcome = self._webhook_only(webhooks.send_ping, self.get_object())
        return Response(PingResultSerializer(outcome).data)

    @extend_schema(summary="Delivery attempts, newest first",
                   responses={200: DeliveryAttemptSerializer(many=True)})
    @action(detail=True, methods=["get"], serializer_class=DeliveryAttemptSerializer)
    def deliveries(self, request: Request, pk=None) -> Response:
        subscription = self.get_object()
        attempts = (
            DeliveryAttempt.objects.filter(digest__subscription=subscription)
            .select_related("digest").order_by("-id")
        )
        page = self.paginate_queryset(attempts)
        return self.get_paginated_response(DeliveryAttemptSerializer(page, many=True).data)

    @extend_schema(summary="Redeliver a digest now (same webhook-id)", request=RedeliverSerializer,
                   responses={200: DeliveryAttemptSerializer, 404: NO_SUCH_DIGEST, 409: IN_FLIGHT})
    @action(detail=True, methods=["post"], serializer_class=RedeliverSerializer)
    def redeliver(self, request: Request, pk=None) -> Response:
        subscription = self.get_object()  # someone else's: 404, whatever the body says
        data = RedeliverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._redeliver(subscription, data.validated_data["digest"])

    @extend_schema(summary="Redeliver a digest now (same webhook-id)", request=None,
                   responses={200: DeliveryAttemptSerializer, 404: NO_SUCH_DIGEST, 409: IN_FLIGHT})
    @action(detail=True, methods=["post"], serializer_class=DeliveryAttemptSerializer,
            url_path=r"deliveries/(?P<digest_id>[0-9]+)/redeliver")
    def redeliver_digest(self, request: Request, pk=None, digest_id=None) -> Response:
        return self._redeliver(self.get_object(), int(digest_id))

    def _redeliver(self, subscription: Subscription, digest_id: int) -> Response:
        get_object_or_404(Digest, pk=digest_id, subscription=subscription)
        try:
            attempt = self._webhook_only(
                webhooks.digest_redeliver, subscription=subscription, digest_id=digest_id
            )
        except webhooks.DeliveryInFlight as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(DeliveryAttemptSerializer(attempt).data)

    @staticmethod
    def _webhook_only(service, *args, **kwargs):
        try:
            return service(*args, **kwargs)
        except services.NotAWebhook as exc:
            raise ValidationError({"channel": [str(exc)]}) from None

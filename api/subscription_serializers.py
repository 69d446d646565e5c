"""API shapes for subscriptions and their delivery log; the secret appears only where issued."""

from __future__ import annotations

from rest_framework import serializers

from api.common import id_field
from digests.models import DeliveryAttempt, Subscription
from events.models import Development, Story
from tracker import outbound


class SubscriptionSerializer(serializers.ModelSerializer):
    """A subscription as its owner sees it. Never carries the secret."""

    stories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    status = serializers.SerializerMethodField(
        help_text="active; paused (by its owner); disabled (after failures: see disabled_reason); "
                  "unconfirmed (email awaiting opt-in)."
    )

    class Meta:
        model = Subscription
        fields = [
            "id", "channel", "url", "email", "stories", "kinds", "frequency", "include_minor",
            "status", "active", "disabled_reason", "consecutive_failures", "created_at", "confirmed_at",
        ]
        read_only_fields = fields

    def get_status(self, subscription: Subscription) -> str:
        if subscription.active:
            return "active" if subscription.is_confirmed else "unconfirmed"
        return "disabled" if subscription.disabled_reason else "paused"


class SubscriptionCreateSerializer(serializers.Serializer):
    """Input for a new webhook subscription (email ones start at /subscribe/ with opt-in)."""

    # Same choices as the output's `channel` (one enum in the OpenAPI schema);
    # only webhook is accepted here.
    channel = serializers.ChoiceField(choices=Subscription.Channel.choices)
    url = serializers.CharField(max_length=outbound.MAX_URL_LENGTH)
    stories = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Story.objects.all(), required=False,
        help_text="Story slugs; none: every story.",
    )
    kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=Development.Kind.choices), required=False,
        help_text="Development kinds; none: every kind.",
    )
    frequency = serializers.ChoiceField(
        choices=Subscription.Frequency.choices, default=Subscription.Frequency.IMMEDIATE
    )
    include_minor = serializers.BooleanField(default=False)

    def validate_channel(self, value: str) -> str:
        if value != Subscription.Channel.WEBHOOK:
            raise serializers.ValidationError(
                "Only webhook subscriptions are created here; "
                "email subscriptions start at /subscribe/ (double opt-in)."
            )
        return value

    def validate_url(self, value: str) -> str:
        try:
            outbound.check_url(value)
        except outbound.TargetRefused as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value.strip()


class SubscriptionWithSecretSerializer(SubscriptionSerializer):
    """The answer to create: the only response that ever shows the secret."""

    secret = serializers.SerializerMethodField(
        help_text="Signing secret (whsec_...). Shown once: store it now."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, subscription: Subscription) -> str:
        return self.context["secret"]


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True, help_text="The new signing secret, shown once.")


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    digest = serializers.IntegerField(source="digest_id", read_only=True)
    webhook_id = serializers.UUIDField(source="digest.message_id", read_only=True)

    class Meta:
        model = DeliveryAttempt
        fields = ["id", "digest", "webhook_id", "attempted_at", "succeeded", "status_code",
                  "latency_ms", "error", "next_retry_at"]
        read_only_fields = fields


class RedeliverSerializer(serializers.Serializer):
    digest = id_field(help_text="Id of one of this subscription's digests.")


class PingResultSerializer(serializers.Serializer):
    succeeded = serializers.BooleanField(read_only=True)
    status_code = serializers.IntegerField(read_only=True, allow_null=True)
    latency_ms = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True)

"""API views of claims: parse, call a selector or service, render."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from api.common import (
    MAX_TEXT_LENGTH,
    BoundedTextSerializer,
    ClaimPagination,
    EditSerializer,
    IdFilter,
    publish_field,
)
from api.draft_serializers import DraftSerializer
from api.serializers import RelatedIdsField, RevisionSerializer
from api.versioned import IF_MATCH, RetractableItemViewSet
from claims.models import Claim
from events.models import Development, Source
from reader.text import figure_text

# --- Serializers ---------------------------------------------------------------


class ClaimSerializer(serializers.ModelSerializer):
    development = serializers.IntegerField(source="development_id", read_only=True)
    actor = serializers.IntegerField(source="actor_id", read_only=True)
    responds_to = serializers.IntegerField(source="responds_to_id", read_only=True, allow_null=True)
    figure = serializers.SerializerMethodField(help_text="The figure in words, e.g. 'at least 200 deaths'.")
    sources = RelatedIdsField()

    class Meta:
        model = Claim
        fields = [
            "id", "development", "actor", "made_on", "claim_type", "paraphrase", "quote",
            "quote_original", "quote_language", "quote_translator", "figure_unit", "figure_group",
            "figure_low", "figure_best", "figure_high", "figure_qualifier", "figure_note", "figure",
            "verification",
            "verification_note", "responds_to", "response_relation", "retracted",
            "retraction_reason", "sources", "version",
        ]

    @extend_schema_field(serializers.CharField())
    def get_figure(self, claim) -> str:
        return figure_text(claim)


class ClaimVersionSerializer(ClaimSerializer):
    revision = RevisionSerializer(read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "revision"]


_CLAIM_CONTENT = [
    "actor", "made_on", "claim_type", "paraphrase", "quote", "quote_original", "quote_language",
    "quote_translator", "figure_unit", "figure_group", "figure_low", "figure_best", "figure_high",
    "figure_qualifier", "figure_note", "verification", "verification_note", "responds_to",
    "response_relation",
    "sources",
]


class ClaimCreateSerializer(BoundedTextSerializer):
    development = serializers.PrimaryKeyRelatedField(queryset=Development.objects.all())
    sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Source.objects.all(), required=False)
    message = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="Why this claim is recorded.")
    publish = publish_field()

    class Meta:
        model = Claim
        fields = ["development", *_CLAIM_CONTENT, "message", "publish"]


class ClaimUpdateSerializer(EditSerializer, BoundedTextSerializer):
    """Changed fields only, with the edit's message, kind and minor flag."""

    sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Claim
        fields = [*_CLAIM_CONTENT, "message", "kind", "minor", "publish"]
        extra_kwargs = {name: {"required": False} for name in _CLAIM_CONTENT if name != "sources"}


# --- Views ---------------------------------------------------------------------


class ClaimFilter(django_filters.FilterSet):
    development = IdFilter(field_name="development_id")
    story = django_filters.CharFilter(field_name="development__story__slug", help_text="Story slug.")
    actor = IdFilter(field_name="actor_id")
    verification = django_filters.ChoiceFilter(choices=Claim.Verification.choices)
    type = django_filters.ChoiceFilter(field_name="claim_type", choices=Claim.Type.choices)

    class Meta:
        model = Claim
        fields = ["development", "story", "actor", "verification", "type"]


@extend_schema_view(
    versions=extend_schema(responses=ClaimVersionSerializer(many=True)),
    create=extend_schema(request=ClaimCreateSerializer,
                         responses={201: ClaimSerializer, 202: DraftSerializer}),
    partial_update=extend_schema(
        request=ClaimUpdateSerializer, responses={200: ClaimSerializer, 202: DraftSerializer},
        parameters=[IF_MATCH],
    ),
)
class ClaimViewSet(RetractableItemViewSet):
    """Who claims what about which development, and whether it holds up."""

    serializer_class = ClaimSerializer
    version_serializer_class = ClaimVersionSerializer
    write_model = Claim
    create_serializer_class = ClaimCreateSerializer
    update_serializer_class = ClaimUpdateSerializer
    pagination_class = ClaimPagination
    filterset_class = ClaimFilter

    def current_queryset(self):
        return Claim.objects.prefetch_related("sources")

    def get_queryset(self):
        return self.current_queryset()

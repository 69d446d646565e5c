"""API views of claims, actors and sources: parse, call a selector or service, render."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from api.common import (
    MAX_TEXT_LENGTH,
    ApiViewMixin,
    BoundedTextSerializer,
    ClaimPagination,
    EditSerializer,
    IdFilter,
    NamePagination,
    conditional,
    publish_field,
    read_etag,
)
from api.drafts import DraftSerializer
from api.serializers import RelatedIdsField, RevisionSerializer
from api.versioned import IF_MATCH, VersionedItemViewSet
from claims.display import figure_text
from claims.models import Claim
from edge.keys import item_key, list_key
from events.models import Actor, Development, Source

# --- Serializers ---------------------------------------------------------------


class ActorSerializer(serializers.ModelSerializer):
    affiliation = serializers.IntegerField(source="affiliation_id", read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "role", "affiliation", "version"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "outlet", "title", "url", "published_on", "version"]


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
class ClaimViewSet(VersionedItemViewSet):
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


class _NamedListViewSet(ApiViewMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = NamePagination
    lookup_value_regex = r"[0-9]+"

    def list(self, request, *args, **kwargs):
        return conditional(request, read_etag(request), lambda: super(_NamedListViewSet, self).list(request),
                           keys=[list_key(self.queryset.model)])

    def retrieve(self, request, *args, **kwargs):
        model = self.queryset.model
        return conditional(request, read_etag(request),
                           lambda: super(_NamedListViewSet, self).retrieve(request, *args, **kwargs),
                           keys=[item_key(model._meta.model_name, int(kwargs[self.lookup_field]))])


class ActorViewSet(_NamedListViewSet):
    """People, governments, armed groups, outlets: who makes claims."""

    queryset = Actor.objects.order_by("name", "id")
    serializer_class = ActorSerializer
    filterset_fields = ["kind", "affiliation"]


class SourceViewSet(_NamedListViewSet):
    """Where claims and developments were reported."""

    queryset = Source.objects.order_by("outlet", "title", "id")
    serializer_class = SourceSerializer
    filterset_fields = ["outlet"]

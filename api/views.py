"""API views of stories, developments and the change feed: parse, call a selector or service, render."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from edge.keys import STORIES, story_key
from events.models import Briefing, Development, Story
from events.selectors import story_timeline
from memento.negotiation import original as memento_original
from reader.geojson import MEDIA_TYPE as GEOJSON_MEDIA_TYPE
from reader.geojson import feature_collection
from record.selectors import version_prefetches, versions_as_of

from .common import (
    AS_OF_DESCRIPTION,
    IdFilter,
    NamePagination,
    TimelinePagination,
    VersionFilterBackend,
    as_of_upto,
    conditional,
    read_etag,
)
from .drafts import DraftSerializer
from .renderers import OneJSONRenderer
from .serializers import (
    BriefingCreateSerializer,
    BriefingSerializer,
    BriefingUpdateSerializer,
    BriefingVersionSerializer,
    DevelopmentCreateSerializer,
    DevelopmentSerializer,
    DevelopmentUpdateSerializer,
    DevelopmentVersionSerializer,
    StorySerializer,
)
from .versioned import IF_MATCH, RetractableItemViewSet, VersionedItemViewSet

AS_OF = OpenApiParameter("as_of", str, description=AS_OF_DESCRIPTION)


class GeoJSONRenderer(OneJSONRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"


@extend_schema_view(list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF]))
class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Stories; `?as_of=` shows each as it was known then."""

    serializer_class = StorySerializer
    pagination_class = NamePagination
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self):
        upto = as_of_upto(self.request)
        if upto is None:
            return Story.objects.order_by("title", "id")
        return versions_as_of(Story, upto).order_by("title", "id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "briefings": self.briefings()}

    def briefings(self) -> dict[int, str]:
        """{story id: its "What we know"} as of the same moment, in one query."""
        upto = as_of_upto(self.request)
        rows = Briefing.objects.all() if upto is None else versions_as_of(Briefing, upto)
        return dict(rows.values_list("story_id", "text"))

    def list(self, request, *args, **kwargs):
        return conditional(request, read_etag(request), lambda: super(StoryViewSet, self).list(request),
                           keys=[STORIES])

    @method_decorator(memento_original)  # RFC 7089: the resource is its own TimeGate (memento/)
    def retrieve(self, request, *args, **kwargs):
        return conditional(request, read_etag(request),
                           lambda: super(StoryViewSet, self).retrieve(request, *args, **kwargs),
                           keys=lambda response: [story_key(response.data["id"])])

    @extend_schema(parameters=[AS_OF], responses={(200, GEOJSON_MEDIA_TYPE): OpenApiTypes.OBJECT},
                   description="The story's developments with coordinates, as an RFC 7946 FeatureCollection "
                               "(the same as /stories/<slug>/developments.geojson).")
    @action(detail=True, methods=["get"], url_path="geojson",
            renderer_classes=[GeoJSONRenderer, OneJSONRenderer])
    def geojson(self, request, slug: str):
        upto = as_of_upto(request)
        shown = {}

        def build():
            story = shown["story"] = get_object_or_404(Story, slug=slug)
            developments = story_timeline(story, upto=upto) if upto != 0 else []
            return Response(feature_collection(developments, slug=story.slug))

        response = conditional(request, read_etag(request), build,
                               keys=lambda response: [story_key(shown["story"].id)])
        # The one URL that negotiates (GeoJSON, or JSON for a client that accepts only that).
        patch_vary_headers(response, ["Accept"])
        return response


class DevelopmentFilter(django_filters.FilterSet):
    story = django_filters.CharFilter(field_name="story__slug", help_text="Story slug.")
    kind = django_filters.ChoiceFilter(choices=Development.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Development.Status.choices)
    occurred_after = django_filters.IsoDateTimeFilter(
        field_name="occurred_at", lookup_expr="gte", help_text="Happened at or after (ISO 8601)."
    )
    occurred_before = django_filters.IsoDateTimeFilter(
        field_name="occurred_at", lookup_expr="lte", help_text="Happened at or before (ISO 8601)."
    )
    actor = IdFilter(method="filter_actor", help_text="Actor id involved.")
    key = django_filters.BooleanFilter(field_name="key_event",
                                       help_text="true: only key developments.")

    class Meta:
        model = Development
        fields = ["story", "kind", "status", "occurred_after", "occurred_before", "actor", "key"]

    def filter_actor(self, queryset, name, value):
        # A version's actors are through-rows (actor_id); a current row's are actors.
        lookup = "actors__actor_id" if hasattr(queryset.model, "history_id") else "actors__id"
        return queryset.filter(**{lookup: value}).distinct()


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]),
    retrieve=extend_schema(parameters=[AS_OF]),
    versions=extend_schema(responses=DevelopmentVersionSerializer(many=True)),
    create=extend_schema(request=DevelopmentCreateSerializer,
                         responses={201: DevelopmentSerializer, 202: DraftSerializer}),
    partial_update=extend_schema(
        request=DevelopmentUpdateSerializer,
        responses={200: DevelopmentSerializer, 202: DraftSerializer}, parameters=[IF_MATCH],
    ),
)
class DevelopmentViewSet(RetractableItemViewSet):
    """Developments in timeline order; `?as_of=` shows what was known then."""

    serializer_class = DevelopmentSerializer
    version_serializer_class = DevelopmentVersionSerializer
    write_model = Development
    create_serializer_class = DevelopmentCreateSerializer
    update_serializer_class = DevelopmentUpdateSerializer
    version_related = ("story",)
    pagination_class = TimelinePagination
    filterset_class = DevelopmentFilter
    filter_backends = [VersionFilterBackend]

    def current_queryset(self):
        return Development.objects.select_related("story").prefetch_related("actors", "sources")

    def get_queryset(self):
        if self.action not in ("list", "retrieve"):
            return self.current_queryset()
        upto = as_of_upto(self.request)
        if upto is None:
            return self.current_queryset()
        return versions_as_of(Development, upto).select_related("story").prefetch_related(
            *version_prefetches(Development)
        )


@extend_schema_view(
    versions=extend_schema(responses=BriefingVersionSerializer(many=True)),
    create=extend_schema(request=BriefingCreateSerializer,
                         responses={201: BriefingSerializer, 202: DraftSerializer}),
    partial_update=extend_schema(
        request=BriefingUpdateSerializer,
        responses={200: BriefingSerializer, 202: DraftSerializer}, parameters=[IF_MATCH],
    ),
)
class BriefingViewSet(VersionedItemViewSet):
    """Each story's pinned "What we know", versioned like every item."""

    serializer_class = BriefingSerializer
    version_serializer_class = BriefingVersionSerializer
    write_model = Briefing
    create_serializer_class = BriefingCreateSerializer
    update_serializer_class = BriefingUpdateSerializer
    version_related = ("story",)
    pagination_class = NamePagination
    filter_backends: list = []

    def current_queryset(self):
        return Briefing.objects.select_related("story").order_by("story__title", "id")

    def get_queryset(self):
        return self.current_queryset()

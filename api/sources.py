"""API views of actors and sources: read by anyone, written by editors (If-Match), archived copies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.common import (
    MAX_TEXT_LENGTH,
    BoundedTextSerializer,
    EditSerializer,
    NamePagination,
    conditional,
    if_match_version,
    item_etag,
    read_etag,
    with_check,
    without_check,
)
from api.serializers import RevisionSerializer
from api.versioned import IF_MATCH, VersionedItemViewSet
from archive import selectors as archive_selectors
from archive.models import Capture
from events.models import Actor, Source
from tracker.site import absolute

# --- Actors -------------------------------------------------------------------

_ACTOR_CONTENT = ["name", "kind", "role", "affiliation"]


class ActorSerializer(serializers.ModelSerializer):
    affiliation = serializers.IntegerField(source="affiliation_id", read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["id", *_ACTOR_CONTENT, "version"]


class ActorVersionSerializer(ActorSerializer):
    revision = RevisionSerializer(read_only=True)

    class Meta(ActorSerializer.Meta):
        fields = [*ActorSerializer.Meta.fields, "revision"]


class ActorCreateSerializer(BoundedTextSerializer):
    message = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="Why this actor is recorded.")

    class Meta:
        model = Actor
        fields = [*_ACTOR_CONTENT, "message"]


class ActorUpdateSerializer(EditSerializer, BoundedTextSerializer):
    """Changed fields only; `kind` is the kind of edit, `actor_kind` the actor's own kind."""

    actor_kind = serializers.ChoiceField(
        choices=Actor.Kind.choices, source="kind", required=False,
        help_text="The actor's own kind (person, government, ...).",
    )

    class Meta:
        model = Actor
        fields = ["name", "actor_kind", "role", "affiliation", "message", "kind", "minor"]
        extra_kwargs = {name: {"required": False} for name in ["name", "role", "affiliation"]}


# --- Sources ------------------------------------------------------------------

_SOURCE_CONTENT = ["outlet", "title", "url", "published_on"]


class ArchiveSerializer(serializers.Serializer):
    """The source's archived copy: captured when cited, watched since."""

    captured_at = serializers.DateTimeField(allow_null=True, help_text="When the copy cited was captured.")
    sha256 = serializers.CharField(help_text="SHA-256 of the captured response payload ('' if none).")
    status = serializers.ChoiceField(
        choices=["", "archived", "changed", "gone", "failed"],
        help_text="archived; changed or gone since cited; failed (tried, never captured); '' (not tried).")
    archive_url = serializers.CharField(allow_null=True, help_text="The captured page, sandboxed.")
    warc_url = serializers.CharField(allow_null=True, help_text="The WARC file (gzip).")
    checked_at = serializers.DateTimeField(allow_null=True, help_text="The latest fetch of the URL.")


def archive_data(state) -> dict:
    return {
        "captured_at": state.captured_at, "sha256": state.sha256, "status": state.status,
        "archive_url": absolute(state.archive_url) if state.archive_url else None,
        "warc_url": absolute(state.warc_url) if state.warc_url else None,
        "checked_at": state.checked_at,
    }


class SourceSerializer(serializers.ModelSerializer):
    archive = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["id", *_SOURCE_CONTENT, "archive", "version"]

    @extend_schema_field(ArchiveSerializer)
    def get_archive(self, source) -> dict:
        return archive_data(archive_selectors.archive_state(source))


class SourceVersionSerializer(serializers.ModelSerializer):
    revision = RevisionSerializer(read_only=True)

    class Meta:
        model = Source.history.model
        fields = ["id", *_SOURCE_CONTENT, *Source.ARCHIVE_FIELDS, "version", "revision"]


class CaptureSerializer(serializers.ModelSerializer):
    archive_url = serializers.SerializerMethodField()
    warc_url = serializers.SerializerMethodField()

    class Meta:
        model = Capture
        fields = ["id", "reason", "outcome", "requested_url", "final_url", "status_code", "content_type",
                  "sha256", "size", "truncated", "captured_at", "error", "text_diff", "archive_url",
                  "warc_url"]

    def get_archive_url(self, capture) -> str | None:
        return absolute(capture.archive_url()) if capture.kept else None

    def get_warc_url(self, capture) -> str | None:
        return absolute(capture.warc_url()) if capture.kept else None


class SourceCreateSerializer(BoundedTextSerializer):
    message = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="Why this source is recorded.")

    class Meta:
        model = Source
        fields = [*_SOURCE_CONTENT, "message"]


class SourceUpdateSerializer(EditSerializer, BoundedTextSerializer):
    """Changed fields only; a new URL is captured again once the edit commits."""

    class Meta:
        model = Source
        fields = [*_SOURCE_CONTENT, "message", "kind", "minor"]
        extra_kwargs = {name: {"required": False} for name in _SOURCE_CONTENT}


# --- Views ----------------------------------------------------------------------


@extend_schema_view(
    versions=extend_schema(responses=ActorVersionSerializer(many=True)),
    create=extend_schema(request=ActorCreateSerializer, responses={201: ActorSerializer}),
    partial_update=extend_schema(request=ActorUpdateSerializer, responses=ActorSerializer,
                                 parameters=[IF_MATCH]),
)
class ActorViewSet(VersionedItemViewSet):
    """People, governments, armed groups, outlets: who makes claims."""

    serializer_class = ActorSerializer
    version_serializer_class = ActorVersionSerializer
    write_model = Actor
    create_serializer_class = ActorCreateSerializer
    update_serializer_class = ActorUpdateSerializer
    pagination_class = NamePagination
    filterset_fields = ["kind", "affiliation"]

    def current_queryset(self):
        return Actor.objects.order_by("name", "id")

    def get_queryset(self):
        return self.current_queryset()


@extend_schema_view(
    versions=extend_schema(responses=SourceVersionSerializer(many=True)),
    create=extend_schema(request=SourceCreateSerializer, responses={201: SourceSerializer}),
    partial_update=extend_schema(request=SourceUpdateSerializer, responses=SourceSerializer,
                                 parameters=[IF_MATCH]),
    captures=extend_schema(responses=CaptureSerializer(many=True)),
)
class SourceViewSet(VersionedItemViewSet):
    """Where claims and developments were reported, with the archived copy of each."""

    serializer_class = SourceSerializer
    version_serializer_class = SourceVersionSerializer
    write_model = Source
    create_serializer_class = SourceCreateSerializer
    update_serializer_class = SourceUpdateSerializer
    pagination_class = NamePagination
    filterset_fields = ["outlet"]

    def current_queryset(self):
        return archive_selectors.with_checked_at(Source.objects.order_by("outlet", "title", "id"))

    # Reads also name the latest capture, so a check (which writes no revision)
    # still refreshes `checked_at` for a client sending If-None-Match; an edit's
    # If-Match is compared without it (a check is not an edit to conflict with).
    def read_tag(self) -> str:
        return read_etag(self.request, extra=str(archive_selectors.latest_capture_id()))

    def item_tag(self, row) -> str:
        return with_check(item_etag(row), archive_selectors.latest_capture_id(row.pk))

    def edit_base(self):
        current = self.current_item()
        return current, if_match_version(without_check(self.request.headers.get("If-Match", "")), current)

    def get_queryset(self):
        return self.current_queryset()

    @action(detail=True, filter_backends=[], pagination_class=None)
    def captures(self, request, *args, **kwargs):
        """Every fetch of the source, newest first: at citation, and each check since."""
        source = self.current_item()

        def build():
            rows = archive_selectors.captures_of(source.pk)
            return Response(CaptureSerializer(rows, many=True).data)

        return conditional(request, self.read_tag(), build, keys=self.item_keys())

"""API shapes of stories, developments, revisions and the change feed.

Output serializers read current rows and history rows alike (an "as of"
read or a version is a history row with the same fields).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Actor, Briefing, Development, Source, Story
from reader.dates import occurred_iso
from reader.feed import author_name, feed_revision
from record.models import Revision
from record.selectors import version_m2m_accessor

from .common import (
    FEED_ITEM_TYPES,
    MAX_TEXT_LENGTH,
    WRITABLE_STATUSES,
    BoundedTextSerializer,
    EditSerializer,
    FieldChangeSerializer,
    id_field,
    publish_field,
    version_field,
)


@extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
class RelatedIdsField(serializers.Field):
    """Ids of a many-to-many set: related objects on a current row, through-rows on a version."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, row) -> list[int]:
        model = row.instance_type if hasattr(row, "history_id") else type(row)
        field = model._meta.get_field(self.field_name)
        if hasattr(row, "history_id"):
            target = field.m2m_reverse_field_name() + "_id"
            return sorted(getattr(t, target) for t in getattr(row, version_m2m_accessor(field)).all())
        return sorted(related.pk for related in getattr(row, self.field_name).all())


class RevisionSerializer(serializers.ModelSerializer):
    """The editor action that wrote a version."""

    author = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = ["id", "kind", "message", "created_at", "minor", "author"]

    def get_author(self, revision) -> str:
        return author_name(revision.author)


class StorySerializer(serializers.ModelSerializer):
    developments = serializers.SerializerMethodField(
        help_text="The story's developments (timeline order), with the same as_of."
    )
    what_we_know = serializers.SerializerMethodField(
        help_text="The story's pinned summary (with the same as_of); null when it has none."
    )

    class Meta:
        model = Story
        fields = ["id", "slug", "title", "summary", "status", "version", "what_we_know",
                  "developments"]

    def get_what_we_know(self, story) -> str | None:
        # Read once for the whole page by the view (StoryViewSet.briefings).
        return self.context.get("briefings", {}).get(story.id)

    def get_developments(self, story) -> str:
        request = self.context["request"]
        query = {"story": story.slug}
        if "as_of" in request.query_params:
            query["as_of"] = request.query_params["as_of"]
        return request.build_absolute_uri(f"{reverse('api-development-list')}?{urlencode(query)}")


PLACE_FIELDS = ["latitude", "longitude", "geo_precision", "admin1", "country"]


class DevelopmentSerializer(serializers.ModelSerializer):
    story = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    occurred = serializers.SerializerMethodField(
        help_text="When it happened, no more precisely than known: '2023-09', '2023-W38', "
                  "'2023-09-19', '2023-09-19T14:05Z'.")
    actors = RelatedIdsField()
    sources = RelatedIdsField()

    class Meta:
        model = Development
        fields = [
            "id", "story", "title", "summary", "kind", "occurred_at", "occurred_precision", "occurred",
            "ended_at", "location", *PLACE_FIELDS, "external_id", "status", "retraction_reason",
            "key_event", "actors", "sources", "version",
        ]

    def get_occurred(self, development) -> str:
        return occurred_iso(development.occurred_at, development.occurred_precision)


class DevelopmentVersionSerializer(DevelopmentSerializer):
    revision = RevisionSerializer(read_only=True)

    class Meta(DevelopmentSerializer.Meta):
        fields = [*DevelopmentSerializer.Meta.fields, "revision"]


class DevelopmentCreateSerializer(BoundedTextSerializer):
    story = serializers.SlugRelatedField(slug_field="slug", queryset=Story.objects.all())
    status = serializers.ChoiceField(
        choices=WRITABLE_STATUSES,
        default=Development.Status.REPORTED, help_text="Retract through retract/.",
    )
    actors = serializers.PrimaryKeyRelatedField(many=True, queryset=Actor.objects.all(), required=False)
    sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Source.objects.all(), required=False)
    message = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="Why this development is recorded.")
    publish = publish_field()

    class Meta:
        model = Development
        fields = [
            "story", "title", "summary", "kind", "occurred_at", "occurred_precision", "ended_at",
            "location", *PLACE_FIELDS, "status", "key_event", "actors", "sources", "message", "publish",
        ]


class DevelopmentUpdateSerializer(EditSerializer, BoundedTextSerializer):
    """Changed fields only; `kind` is the kind of edit, `development_kind` the development's kind."""

    development_kind = serializers.ChoiceField(
        choices=Development.Kind.choices, source="kind", required=False,
        help_text="The development's own kind (military action, ceasefire, ...).",
    )
    status = serializers.ChoiceField(
        choices=WRITABLE_STATUSES, required=False,
        help_text="Retract through retract/.",
    )
    actors = serializers.PrimaryKeyRelatedField(many=True, queryset=Actor.objects.all(), required=False)
    sources = serializers.PrimaryKeyRelatedField(many=True, queryset=Source.objects.all(), required=False)

    class Meta:
        model = Development
        fields = [
            "title", "summary", "development_kind", "occurred_at", "occurred_precision",
            "ended_at", "location", *PLACE_FIELDS, "status", "key_event", "actors", "sources", "message",
            "kind", "minor", "publish",
        ]
        extra_kwargs = {name: {"required": False} for name in [
            "title", "summary", "occurred_at", "occurred_precision", "ended_at", "location", *PLACE_FIELDS,
            "key_event",
        ]}


class BriefingSerializer(serializers.ModelSerializer):
    story = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Briefing
        fields = ["id", "story", "text", "version"]


class BriefingVersionSerializer(BriefingSerializer):
    revision = RevisionSerializer(read_only=True)

    class Meta(BriefingSerializer.Meta):
        fields = [*BriefingSerializer.Meta.fields, "revision"]


class BriefingCreateSerializer(BoundedTextSerializer):
    story = serializers.SlugRelatedField(slug_field="slug", queryset=Story.objects.all())
    message = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="Why it is written.")
    publish = publish_field()

    class Meta:
        model = Briefing
        fields = ["story", "text", "message", "publish"]


class BriefingUpdateSerializer(EditSerializer, BoundedTextSerializer):
    class Meta:
        model = Briefing
        fields = ["text", "message", "kind", "minor", "publish"]


class DiffSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_version = serializers.IntegerField(help_text="0: compared with nothing (the creation).")
    to_version = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


class DiffQuerySerializer(serializers.Serializer):
    """`?from=&to=`: version numbers; `to` defaults to the current one, `from` to the one before it."""

    def get_fields(self):
        return {
            "from": version_field(min_value=0, required=False),
            "to": version_field(required=False),
        }


# --- The change feed ---------------------------------------------------------------


class ChangeFeedQuerySerializer(serializers.Serializer):
    after = id_field(
        min_value=0, default=0,
        help_text="The last revision id you have seen (0: from the beginning).",
    )
    story = serializers.SlugRelatedField(
        slug_field="slug", queryset=Story.objects.all(), required=False,
        help_text="Only this story's revisions (slug).",
    )
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


class ItemChangeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=FEED_ITEM_TYPES)
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    changes = FieldChangeSerializer(many=True)


# The schema of a change-feed entry; the entry itself is shaped by reader.feed (shared with live).
class FeedRevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="revision.id")
    kind = serializers.ChoiceField(choices=Revision.Kind.choices, source="revision.kind")
    message = serializers.CharField(source="revision.message")
    created_at = serializers.DateTimeField(source="revision.created_at")
    minor = serializers.BooleanField(source="revision.minor")
    leaf_index = serializers.IntegerField(
        source="revision.leaf_index", allow_null=True,
        help_text="The revision's leaf in the public log (/api/log/leaves/<leaf_index>).",
    )
    author = serializers.CharField(read_only=True)
    story = serializers.CharField(read_only=True, allow_null=True)
    items = ItemChangeSerializer(many=True)

    def to_representation(self, entry) -> dict:
        return feed_revision(entry)


class ChangeFeedPageSerializer(serializers.Serializer):
    results = FeedRevisionSerializer(many=True)
    last_id = serializers.IntegerField(help_text="Pass it as `after` next time.")
    has_more = serializers.BooleanField(help_text="More revisions are waiting now.")
    next = serializers.URLField(help_text="The URL to read next (poll it again later).")

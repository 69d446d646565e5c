"""What the API shows of a draft, and the 202 of a write that saved one instead of publishing."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.response import Response

from drafts import services
from drafts.models import Draft, DraftEvent

from .serializers import author_name


class DraftEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = DraftEvent
        fields = ["action", "actor", "at", "comment"]

    def get_actor(self, event) -> str:
        return author_name(event.actor)


class DraftSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    story = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SerializerMethodField()
    reviewer = serializers.SerializerMethodField()
    approved = serializers.SerializerMethodField(
        help_text="Approved by a reviewer other than the author, and unchanged since.")
    events = DraftEventSerializer(many=True, read_only=True)

    class Meta:
        model = Draft
        fields = ["id", "url", "state", "item_type", "item_id", "base_version", "story", "fields",
                  "message", "kind", "minor", "author", "reviewer", "approved", "publish_at",
                  "blocked_reason", "revision", "created_at", "updated_at", "events"]

    def get_url(self, draft) -> str:
        path = reverse("api-draft-detail", args=[draft.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_author(self, draft) -> str:
        return author_name(draft.author)

    def get_reviewer(self, draft) -> str | None:
        return author_name(draft.reviewer) if draft.reviewer else None

    def get_approved(self, draft) -> bool:
        return services.approval_holds(draft)


def draft_answer(draft: Draft, request) -> Response:
    """The 202 of a write that saved a draft instead of publishing."""
    draft = drafts_shown().get(pk=draft.pk)
    return Response(DraftSerializer(draft, context={"request": request}).data,
                    status=status.HTTP_202_ACCEPTED)


def drafts_shown():
    """Drafts with what their serializer shows (one query each, not one a draft)."""
    return Draft.objects.select_related("author", "reviewer", "story").prefetch_related("events__actor")

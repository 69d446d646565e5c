"""Drafts through the API: editors and reviewers list them, submit, approve, send back, publish, discard.

Creates and edits elsewhere in the API save a draft instead of publishing when
the body says `"publish": false` (api.draft_serializers.draft_answer gives their 202). Every step
is one call to drafts.services; refusals are 409 (the state forbids it), 403
(the role does) or 400 (the input is wrong), and write nothing.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from drafts import services
from drafts.models import Draft
from drafts.proposal import item_model, item_types
from record.models import Revision

from .common import MAX_TEXT_LENGTH, NamePagination
from .draft_serializers import DraftSerializer, drafts_shown
from .items import ITEM_SERIALIZERS


class EditorsAndReviewers(permissions.BasePermission):
    """Drafts are never public: reading them needs the drafts permission editors and reviewers hold."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        verb = "view" if request.method in permissions.SAFE_METHODS else "change"
        return user.has_perm(f"drafts.{verb}_draft")


class DraftFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Draft.State.choices)
    story = django_filters.CharFilter(field_name="story__slug", help_text="Story slug.")
    kind = django_filters.ChoiceFilter(choices=Revision.Kind.choices)
    item_type = django_filters.ChoiceFilter(choices=lambda: [(label, label) for label in item_types()])

    class Meta:
        model = Draft
        fields = ["state", "story", "kind", "item_type"]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)


class SendBackSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text="What needs to change.")


class ScheduleSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(allow_null=True,
                                           help_text="When to publish (future); null unschedules.")


PUBLISHED = inline_serializer("PublishedDraft", fields={
    "draft": DraftSerializer(),
    "revision": serializers.IntegerField(help_text="The one revision the draft became."),
    "item": serializers.JSONField(help_text="The published item, as its own endpoint shows it."),
})


class DraftViewSet(viewsets.GenericViewSet):
    """Proposed changes held outside the public record (editors and reviewers only)."""

    serializer_class = DraftSerializer
    permission_classes = [EditorsAndReviewers]
    pagination_class = NamePagination
    filterset_class = DraftFilter
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return drafts_shown().order_by("-updated_at", "-id")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def _answer(self, draft: Draft) -> Response:
        return Response(self.get_serializer(drafts_shown().get(pk=draft.pk)).data)

    def _body(self, serializer_class) -> dict:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Discard the draft (it is kept, marked discarded, with who did it)."""
        services.draft_discard(draft=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def submit(self, request, pk=None):
        return self._answer(services.draft_submit(draft=self.get_object(), user=request.user))

    @extend_schema(request=CommentSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def approve(self, request, pk=None):
        comment = self._body(CommentSerializer).get("comment", "")
        return self._answer(services.draft_approve(draft=self.get_object(), reviewer=request.user,
                                                   comment=comment))

    @extend_schema(request=SendBackSerializer)
    @action(detail=True, methods=["post"], url_path="send-back", filter_backends=[],
            pagination_class=None)
    def send_back(self, request, pk=None):
        comment = self._body(SendBackSerializer)["comment"]
        return self._answer(services.draft_send_back(draft=self.get_object(), reviewer=request.user,
                                                     comment=comment))

    @extend_schema(request=ScheduleSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def schedule(self, request, pk=None):
        publish_at = self._body(ScheduleSerializer)["publish_at"]
        return self._answer(services.draft_schedule(draft=self.get_object(), user=request.user,
                                                    publish_at=publish_at))

    @extend_schema(request=None, responses=PUBLISHED)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def publish(self, request, pk=None):
        draft, revision = services.draft_publish(draft=self.get_object(), publisher=request.user)
        return Response({"draft": self.get_serializer(drafts_shown().get(pk=draft.pk)).data,
                         "revision": revision.id, "item": self._item(revision)})

    def _item(self, revision: Revision) -> dict:
        # The published item as its own endpoint shows it (api.items).
        draft_model = item_model(revision.draft.item_type)
        item = draft_model.objects.get(pk=revision.draft.item_id)
        serializer_class = ITEM_SERIALIZERS.get(draft_model)
        if serializer_class is None:
            return {"id": item.pk, "version": item.version}
        return serializer_class(item, context=self.get_serializer_context()).data

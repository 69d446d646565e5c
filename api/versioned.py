"""Reads and writes shared by every versioned item: ETag'd reads, versions/, diff/, If-Match."""

from __future__ import annotations

from django.db import models
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from drafts.models import Draft
from drafts.review import edit_or_draft, retract_or_draft
from drafts.services import draft_create
from edge.keys import item_key, list_key
from events.editing import ItemServices
from memento.negotiation import original as memento_original
from record.diff import diff_versions
from record.registry import item_services
from record.selectors import item_versions, version_get

from .common import (
    EditorsMayWrite,
    RetractSerializer,
    VersionPagination,
    base_version,
    conditional,
    item_etag,
    read_etag,
)
from .draft_serializers import draft_answer
from .serializers import DiffQuerySerializer, DiffSerializer

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True,
    description="The ETag of the version you edited, from its GET.",
)

DIFF_PARAMETERS = [
    OpenApiParameter("from", int, description="Older version (0: before the creation). "
                     "Default: the one before `to`."),
    OpenApiParameter("to", int, description="Newer version. Default: the current one."),
]


class VersionedItemViewSet(viewsets.GenericViewSet):
    """A versioned item: list, read, its versions and diffs; editors create and edit."""

    permission_classes = [EditorsMayWrite]
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_field = "id"
    lookup_value_regex = r"[0-9]+"
    write_model: type[models.Model]
    version_serializer_class: type
    # Writes go through the item's services, registered by its domain (the desk's too).
    create_serializer_class: type
    update_serializer_class: type
    # Rows the version serializer reads through a foreign key (one join, not a query a version).
    version_related: tuple[str, ...] = ()

    @property
    def services(self) -> ItemServices:
        return item_services(self.write_model)

    def current_item(self):
        """The current row, whatever the list's filters or "as of" say."""
        pk = self.kwargs[self.lookup_field]
        try:
            return self.write_model.objects.get(pk=pk)
        except (self.write_model.DoesNotExist, ValueError, OverflowError):
            raise exceptions.NotFound() from None

    def list(self, request, *args, **kwargs):
        def build():
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

        return conditional(request, self.read_tag(), build, keys=[list_key(self.write_model)])

    @method_decorator(memento_original)  # RFC 7089: the resource is its own TimeGate (memento/)
    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        return conditional(request, self.item_tag(row), lambda: Response(self.get_serializer(row).data),
                           keys=self.item_keys())

    def read_tag(self) -> str:
        """The ETag of a list (or any read but the item itself)."""
        return read_etag(self.request)

    def item_tag(self, row) -> str:
        """The ETag of the item's GET: what If-Match sends back."""
        return item_etag(row)

    def item_keys(self) -> list[str]:
        """The surrogate key of the item this request reads (edge.keys)."""
        return [item_key(self.write_model._meta.model_name, int(self.kwargs[self.lookup_field]))]

    def current_queryset(self) -> models.QuerySet:
        """Current rows, loaded for the output serializer."""
        raise NotImplementedError

    def get_serializer_class(self):
        if self.action == "versions":
            return self.version_serializer_class
        if self.action == "diff":
            return DiffSerializer
        return self.serializer_class

    def written(self, row, *, created: bool = False) -> Response:
        """The item as the write left it, with its new ETag for the next If-Match."""
        row = self.current_queryset().get(pk=row.pk)
        data = self.serializer_class(row, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": self.item_tag(row)},
        )

    def validated(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(),
                                      **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def edit_base(self):
        """(current row, the version the edit is based on) from If-Match."""
        current = self.current_item()
        return current, base_version(self.request, current)

    def create(self, request, *args, **kwargs):
        fields = self.validated(self.create_serializer_class)
        if not fields.pop("publish", True):
            draft = draft_create(author=request.user, item_type=self.write_model._meta.label_lower,
                                 message=fields.pop("message"), values=fields)
            return draft_answer(draft, request)
        return self.written(self.services.create(author=request.user, **fields), created=True)

    def partial_update(self, request, *args, **kwargs):
        current, base = self.edit_base()
        changes = self.validated(self.update_serializer_class)
        # `"publish": false`, or a correction under the review rule: a draft, 202 (drafts.review).
        return self.written_or_held(edit_or_draft(
            author=request.user, item=current, base_version=base, publish=changes.pop("publish", True),
            message=changes.pop("message"), kind=changes.pop("edit_kind"), minor=changes.pop("minor"),
            changes=changes))

    def written_or_held(self, outcome) -> Response:
        """The item as written (200), or the draft it is held as (202)."""
        return draft_answer(outcome, self.request) if isinstance(outcome, Draft) else self.written(outcome)

    @action(detail=True, pagination_class=VersionPagination, filter_backends=[])
    def versions(self, request, *args, **kwargs):
        item = self.current_item()

        def build():
            rows = item_versions(self.write_model, item.pk, with_sets=True).select_related(
                *self.version_related)
            page = self.paginate_queryset(rows)
            data = self.version_serializer_class(page, many=True, context=self.get_serializer_context()).data
            return self.get_paginated_response(data)

        return conditional(request, read_etag(request), build, keys=self.item_keys())

    @extend_schema(parameters=DIFF_PARAMETERS, responses=DiffSerializer)
    @action(detail=True, filter_backends=[], pagination_class=None)
    def diff(self, request, *args, **kwargs):
        item = self.current_item()
        query = DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        newer_number = query.validated_data.get("to", item.version)
        older_number = query.validated_data.get("from", newer_number - 1)
        newer = self._version(item, newer_number, "to")
        older = self._version(item, older_number, "from") if older_number else None

        def build():
            return Response({
                "id": item.pk, "from_version": older_number, "to_version": newer_number,
                "changes": [change.as_dict() for change in diff_versions(older, newer)],
            })

        return conditional(request, read_etag(request), build, keys=self.item_keys())

    def _version(self, item, number: int, param: str):
        try:
            return version_get(self.write_model, pk=item.pk, version=number)
        except self.write_model.history.model.DoesNotExist:
            raise exceptions.ValidationError(
                {param: [f"No version {number}: this item has versions 1 to {item.version}."]}
            ) from None


class RetractableItemViewSet(VersionedItemViewSet):
    """A versioned item editors may also retract (developments, claims): never deleted."""

    @extend_schema(request=RetractSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def retract(self, request, *args, **kwargs):
        current, base = self.edit_base()
        asked = self.validated(RetractSerializer)
        # Under the review rule a draft submitted for review; `"publish": false` a draft (202).
        return self.written_or_held(retract_or_draft(
            author=request.user, item=current, base_version=base, reason=asked["reason"],
            publish=asked["publish"]))

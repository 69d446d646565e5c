"""What every API view shares: ETags and If-Match, "as of" moments, pagination, the editor rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import django_filters
from django import forms
from django.db import models
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.pagination import CursorPagination, LimitOffsetPagination
from rest_framework.response import Response

from edge import latest
from edge.headers import shared
from events.models import Development
from reader.conditional import conditional_get
from reader.numbers import MAX_ID, MAX_VERSION
from record.errors import StaleVersionError
from record.models import Revision
from record.moments import parse_moment
from record.registry import versioned_models
from record.selectors import revision_at

# --- Preconditions -----------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag of the version you edited (from the item's GET)."
    default_code = "precondition_required"


def item_etag(row) -> str:
    """Strong ETag of one version of a development or claim (current row or history row).

    It names exactly what the representation shows. A claim shows its own
    version's fields only; a development also shows its story's slug, which
    lives on the story's row and can change without a new version of the
    development, so the slug is part of its tag (and an edit based on the old
    slug is refused like one based on an old version).
    """
    model = getattr(row, "instance_type", type(row))
    tag = f"{model._meta.model_name}-{row.id}-v{row.version}"
    if model is Development:
        tag = f"{row.story.slug}/{tag}"  # slugs are ASCII letters, digits, - and _: safe here
    return f'"{tag}"'


def read_etag(request, extra: str = "", *, media_type: str | None = None) -> str:
    """Weak ETag for any other read.

    Everything the API shows is derived from versions, and every version
    belongs to a revision: the latest revision id and the exact request
    therefore name one representation. The id is this process's copy (edge.latest:
    a memory read while its listener vouches for it, else Redis), so a 304 costs no
    query. `media_type`: the one DRF would negotiate, before it has (api.changefeed).
    """
    media_type = media_type or request.accepted_media_type
    return etag_after(latest.latest_revision_id(), request.get_full_path(), media_type, extra)


def etag_after(revision: int, full_path: str, media_type: str, extra: str = "") -> str:
    """read_etag's tag for a latest revision already read (api.repeat_polls has it from the listener)."""
    key = f"{revision}|{full_path}|{media_type}|{extra}"
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def conditional(request, etag: str, build, keys=()) -> Response:
    """The one conditional GET (reader.conditional) with `etag`: a 304 before `build()` runs.

    Either way the edge may keep it (edge.headers.shared), a 200 under the
    surrogate `keys` (or `keys(response)` when only the built response knows them).
    """
    response = conditional_get(request, build, etag=etag,
                               not_modified=lambda: Response(status=status.HTTP_304_NOT_MODIFIED))
    if response.status_code != 200:
        return shared(response)
    return shared(response, keys(response) if callable(keys) else keys)


def base_version(request, current) -> int:
    """The version an edit is based on, from If-Match (428 when missing, 412 when stale)."""
    return if_match_version(request.headers.get("If-Match", ""), current)


_CHECK_SUFFIX = re.compile(r'\.c\d+"')


def with_check(etag: str, check_id: int | None) -> str:
    """An item tag that also names the latest check of it (sources: archive.Capture ids)."""
    return f'{etag[:-1]}.c{check_id}"' if check_id else etag


def without_check(header: str) -> str:
    return _CHECK_SUFFIX.sub('"', header)


def if_match_version(header: str, current) -> int:
    """The version an If-Match header names for `current` (428 when missing, 412 when stale)."""
    header = header.strip()
    if not header or header == "*":
        raise PreconditionRequired()
    tags = _tags(header)
    if item_etag(current) in tags:  # strong comparison: W/ tags never match
        return current.version
    named = re.search(r"-v(\d+)\"$", tags[0])
    raise StaleVersionError(instance=current, base_version=int(named.group(1)) if named else 0)


# --- "As of" -------------------------------------------------------------------


def as_of_upto(request) -> int | None:
    """The revision cursor for `?as_of=<ISO 8601>` (same meaning as on the pages), or None.

    A moment before the first revision gives 0: nothing was known yet.
    """
    raw = request.query_params.get("as_of")
    if raw is None:
        return None
    if not hasattr(request, "_as_of_upto"):  # asked by the list and by its serializer context
        request._as_of_upto = revision_at(_parse_moment(raw)) or 0
    return request._as_of_upto


def _parse_moment(raw: str) -> dt.datetime:
    moment = parse_moment(raw)
    if moment is None:
        raise exceptions.ValidationError(
            {"as_of": ["Give a date and time in ISO 8601, e.g. 2023-09-20T12:00:00Z."]}
        )
    return moment


AS_OF_DESCRIPTION = (
    "Show what was known at this moment (ISO 8601): each item's latest version written "
    "by the last revision made at or before it."
)

# --- Pagination, rendering, permission -------------------------------------------


class TimelinePagination(CursorPagination):
    """Developments in the order they happened in the world."""

    ordering = ("occurred_at", "id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200


class ClaimPagination(TimelinePagination):
    ordering = ("made_on", "id")


class VersionPagination(TimelinePagination):
    ordering = ("version",)


class NamePagination(LimitOffsetPagination):
    """Lists ordered by name, not time: stories, actors, sources."""

    default_limit = 50
    max_limit = 200


class VersionFilterBackend(DjangoFilterBackend):
    """django-filter for querysets of current rows or of versions ("as of"): same field names."""

    def get_filterset_class(self, view, queryset=None):
        return getattr(view, "filterset_class", None)


# --- Numbers: bounded before they reach the database (reader.numbers) ------------


def id_field(*, min_value: int = 1, **kwargs) -> serializers.IntegerField:
    """A row id in a query or body: 400 naming the field when it is out of range."""
    return serializers.IntegerField(min_value=min_value, max_value=MAX_ID, **kwargs)


def version_field(*, min_value: int = 1, **kwargs) -> serializers.IntegerField:
    """An item's version number (0 may mean "before the creation" where min_value allows it)."""
    return serializers.IntegerField(min_value=min_value, max_value=MAX_VERSION, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A row id as a filter: a whole number within the id range, else a 400 naming the parameter.

    (django-filter's NumberFilter takes any decimal, which SQLite cannot bind.)
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class EditorsMayWrite(permissions.BasePermission):
    """Anyone reads; writes need the model permission, which the `editors` group grants."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if not (user and user.is_authenticated):
            return False
        model = view.write_model
        verb = "add" if getattr(view, "action", None) == "create" else "change"
        return user.has_perm(f"{model._meta.app_label}.{verb}_{model._meta.model_name}")


# --- Shared serializers --------------------------------------------------------


class WordChangeSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    """events.diff.FieldChange.as_dict(): the one diff format."""

    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    words = WordChangeSerializer(many=True, allow_null=True)


# Free text written through the API: far above any real summary or quote, far
# below what would make word-level diffs (quadratic in the worst case) a way
# to stall the change feed, pages and digests.
MAX_TEXT_LENGTH = 20_000


class BoundedTextSerializer(serializers.ModelSerializer):
    """A model serializer whose TextFields get MAX_TEXT_LENGTH (CharFields keep their own)."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.TextField) and kwargs.get("max_length") is None:
            kwargs["max_length"] = MAX_TEXT_LENGTH
        return field_class, kwargs


EDIT_KINDS = [kind.value for kind in Revision.EDIT_KINDS]
WRITABLE_STATUSES = ["reported", "confirmed"]  # a retraction goes through retract/
# What the change feed calls each versioned model: read from the registry, never listed here.
FEED_ITEM_TYPES = [model._meta.model_name for model in versioned_models()]


def publish_field() -> serializers.BooleanField:
    return serializers.BooleanField(
        default=True, write_only=True,
        help_text="false: save a draft instead (202 with the draft); nothing is public until "
                  "it is published through /api/drafts/<id>/publish/.",
    )


class EditSerializer(serializers.Serializer):
    """What every edit says about itself."""

    publish = publish_field()

    message = serializers.CharField(max_length=MAX_TEXT_LENGTH,
                                    help_text="What changed and why (shown in the change log).")
    kind = serializers.ChoiceField(
        choices=EDIT_KINDS, default="update", source="edit_kind",
        help_text="A correction is flagged to readers and in digests.",
    )
    minor = serializers.BooleanField(default=False, help_text="Cosmetic edit: left out of digests.")


class RetractSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT_LENGTH,
                                   help_text="Why it is withdrawn; shown to readers.")
    publish = publish_field()

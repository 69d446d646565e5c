"""The one place where errors become API responses: JSON, field by field, never a 500 for bad input.

Domain errors come from the services (events.errors) and from model
validation (Django's ValidationError); everything else is DRF's own.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from drafts.errors import DraftConflict, DraftForbidden
from record.errors import NoChangeError, StaleVersionError, TrackerError


def api_exception_handler(exc, context):
    if isinstance(exc, StaleVersionError):
        return _stale(exc)
    if isinstance(exc, NoChangeError):
        return _bad_request({api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)})
    if isinstance(exc, DjangoValidationError):
        return _bad_request(_field_errors(exc))
    if isinstance(exc, DraftConflict):  # the draft's state forbids it now: nothing was written
        return Response({"detail": str(exc), "code": "draft_conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DraftForbidden):
        return Response({"detail": str(exc), "code": "draft_forbidden"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, TrackerError):
        return _bad_request({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]})
    if isinstance(exc, DataError):
        # The database refused a value the validators let through (a number out of
        # its range, say): the client's input, so a 400, and nothing was written.
        return _bad_request({"detail": "A value is out of the range the tracker can store."})
    if isinstance(exc, RequestDataTooBig):  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, said in JSON
        return _bad_request({"detail": "The request body is too large.", "code": "too_large"})
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError) and not isinstance(response.data, dict):
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


def _field_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    errors = {}
    for field, messages in exc.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
        errors[key] = list(messages)
    return errors


def _bad_request(errors: dict) -> Response:
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)


def _stale(exc: StaleVersionError) -> Response:
    from api.common import item_etag

    return Response(
        {"detail": str(exc), "code": "stale_version", "current_version": exc.current_version},
        status=status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": item_etag(exc.instance)},
    )

"""The public transparency log over HTTP: checkpoints, the verifier key, leaves and proofs.

Read-only and public. Every answer is either signed (a checkpoint) or
checkable against a signed checkpoint (leaves, proofs): a reader needs to
trust none of it. Proofs are only given against checkpointed sizes.
"""

from __future__ import annotations

import base64

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from publiclog import checkpoints, proofs
from record import tree

MAX_LEAVES = 1000  # per range request

_TEXT = OpenApiResponse(OpenApiTypes.STR, description="text/plain")


def _int(request, name: str, *, required: bool = True, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        if required:
            raise exceptions.ValidationError({name: [f"{name} is required (a whole number)."]})
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise exceptions.ValidationError({name: [f"{name} must be a whole number ≥ 0, not {raw!r}."]})
    return int(raw)


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


def _proof(build):
    try:
        return build()
    except proofs.ProofError as error:
        raise exceptions.ValidationError({"detail": [str(error)]}) from error


class NoSigningKey(exceptions.APIException):
    status_code = 503
    default_detail = "The log has no signing key configured yet (LOG_SIGNING_KEY)."
    default_code = "no_signing_key"


class LogView(APIView):
    authentication_classes: list = []
    permission_classes: list = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Old checkpoints, leaves and proofs never change; the latest checkpoint does.
        response.setdefault("Cache-Control", "public, max-age=10, s-maxage=10")
        return response


@extend_schema(parameters=[OpenApiParameter("size", int, description="An earlier checkpoint's tree size.")],
               responses={200: _TEXT, 404: OpenApiResponse(description="Never signed.")})
class CheckpointView(LogView):
    """The latest signed checkpoint (C2SP tlog-checkpoint in a signed note, with the witnesses'
    cosignatures), or the one at `size`."""

    def get(self, request):
        size = _int(request, "size", required=False)
        found = checkpoints.latest_checkpoint() if size is None else checkpoints.checkpoint_at(size)
        if found is None:
            detail = ("No checkpoint has been signed yet." if size is None
                      else f"No checkpoint was ever signed at size {size}.")
            raise exceptions.NotFound(detail)
        response = HttpResponse(checkpoints.served_note(found), content_type="text/plain; charset=utf-8")
        # An older checkpoint never changes; the latest may still gain witnesses' cosignatures.
        if size is not None and checkpoints.latest_checkpoint().size > found.size:
            response["Cache-Control"] = "public, max-age=86400, s-maxage=86400, immutable"
        return response


@extend_schema(responses={200: _TEXT})
class KeyView(LogView):
    """The note verifier key of the log's checkpoints: `<name>+<key id>+<base64 key>`."""

    def get(self, request):
        try:
            key = checkpoints.signing_key()
        except ImproperlyConfigured as error:
            raise NoSigningKey() from error
        return HttpResponse(key.verifier() + "\n", content_type="text/plain; charset=utf-8")


class LeafView(LogView):
    """One leaf's full line (UTF-8 JSON, as exported); the signed entry commits to its SHA-256."""

    @extend_schema(operation_id="log_leaf_retrieve", responses={
        200: OpenApiResponse(OpenApiTypes.BINARY, description="The leaf's full line, exact bytes."),
        404: OpenApiResponse(description="No such leaf.")})
    def get(self, request, index: int):
        leaf = proofs.leaf_at(index)
        if leaf is None:
            raise exceptions.NotFound(f"There is no leaf {index}: the log has {tree.tree_size()} leaves.")
        response = HttpResponse(bytes(leaf.data), content_type="application/octet-stream")
        response["Cache-Control"] = "public, max-age=86400, s-maxage=86400, immutable"
        return response


class LeavesView(LogView):
    """Leaves start..end-1 (at most 1000): their full lines, base64, in index order."""

    @extend_schema(
        operation_id="log_leaves_list",
        parameters=[OpenApiParameter("start", int, required=True),
                    OpenApiParameter("end", int, required=True)],
        responses=inline_serializer("LogLeaves", {
            "start": serializers.IntegerField(), "end": serializers.IntegerField(),
            "leaves": serializers.ListField(child=serializers.CharField(), help_text="base64 leaf bytes"),
        }),
    )
    def get(self, request):
        start, end = _int(request, "start"), _int(request, "end")
        size = tree.tree_size()
        if not start < end <= size:
            raise exceptions.ValidationError({"detail": [
                f"Ask for 0 ≤ start < end ≤ {size} (the log has {size} leaves)."]})
        end = min(end, start + MAX_LEAVES)
        leaves = proofs.leaves_between(start, end)
        return Response({"start": start, "end": end, "leaves": _b64([bytes(leaf.data) for leaf in leaves])})


@extend_schema(
    parameters=[OpenApiParameter("index", int, required=True),
                OpenApiParameter("size", int, required=True, description="A checkpointed tree size.")],
    responses=inline_serializer("InclusionProof", {
        "index": serializers.IntegerField(), "size": serializers.IntegerField(),
        "hashes": serializers.ListField(child=serializers.CharField(), help_text="base64 SHA-256"),
    }),
)
class InclusionProofView(LogView):
    """RFC 9162 inclusion proof of leaf `index` in the checkpointed tree of `size` leaves."""

    def get(self, request):
        index, size = _int(request, "index"), _int(request, "size")
        hashes = _proof(lambda: proofs.inclusion_proof(index, size))
        return Response({"index": index, "size": size, "hashes": _b64(hashes)})


@extend_schema(
    parameters=[OpenApiParameter("from", int, required=True), OpenApiParameter("to", int, required=True)],
    responses=inline_serializer("ConsistencyProof", {
        "from": serializers.IntegerField(), "to": serializers.IntegerField(),
        "hashes": serializers.ListField(child=serializers.CharField(), help_text="base64 SHA-256"),
    }),
)
class ConsistencyProofView(LogView):
    """RFC 9162 consistency proof between two checkpointed tree sizes."""

    def get(self, request):
        old, new = _int(request, "from"), _int(request, "to")
        hashes = _proof(lambda: proofs.consistency_proof(old, new))
        return Response({"from": old, "to": new, "hashes": _b64(hashes)})

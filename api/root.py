"""The API's front door, /api/: one JSON document linking every resource, the schema, the docs and the log."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

# Collections, by the names the router gives them (api/urls.py): `<basename>-list`.
RESOURCES = {
    "stories": "api-story-list",
    "developments": "api-development-list",
    "claims": "api-claim-list",
    "briefings": "api-briefing-list",
    "actors": "api-actor-list",
    "sources": "api-source-list",
    "drafts": "api-draft-list",
    "subscriptions": "subscription-list",
    "changes": "api-changes",
    "changes_stream": "changes_stream",
}
LOG = {
    "checkpoint": "api-log-checkpoint",
    "key": "api-log-key",
    "leaves": "api-log-leaves",
    "inclusion_proof": "api-log-inclusion",
    "consistency_proof": "api-log-consistency",
}


class ApiRootView(APIView):
    """Where to go from /api/: the collections, the OpenAPI schema, its docs and the public log."""

    permission_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request):
        def link(name: str) -> str:
            return request.build_absolute_uri(reverse(name))

        return Response({
            "resources": {key: link(name) for key, name in RESOURCES.items()},
            "schema": link("api-schema"),
            "docs": link("api-docs"),
            # A search wants its words: a URI template (RFC 6570), not a link to follow as it is.
            "search": link("api-search") + "{?q}",
            "log": {key: link(name) for key, name in LOG.items()},
        })

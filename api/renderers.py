"""The API's one JSON representation: the same bytes for a URL whatever the Accept header says.

The edge keeps API reads by URL alone (deploy/varnish/default.vcl has no
Vary on Accept), so a URL must not answer a browser's Accept with an HTML
page or `Accept: application/json; indent=4` with other bytes: the next
client, a verifier or a poller, would be served what the first one asked
for. The docs page (/api/docs/) is the API's human view.
"""

from __future__ import annotations

from rest_framework.renderers import JSONRenderer


class OneJSONRenderer(JSONRenderer):
    """JSON, compact, never indented at the client's request (DRF reads `indent` from Accept)."""

    def get_indent(self, accepted_media_type, renderer_context):
        return None

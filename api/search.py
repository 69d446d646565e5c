"""GET /api/search/: the search of the record and its history, as JSON (a thin view over search.params)."""

from __future__ import annotations

from django.utils.http import urlencode
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from reader.conditional import conditional_get
from reader.search_hits import hit_rows, search_etag
from search.params import cursor_for, read
from search.query import QueryError
from search.selectors import search


class SearchHitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    url = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    snippet = serializers.CharField()
    story = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(help_text="The version that matched (history: the latest that did).")
    first_revision = serializers.IntegerField(required=False, help_text="history=true: the revision that "
                                              "first said it.")
    first_recorded_at = serializers.DateTimeField(required=False)
    first_recorded_by = serializers.CharField(required=False)
    first_kind = serializers.CharField(required=False)
    last_revision = serializers.IntegerField(required=False, allow_null=True, help_text="history=true: the "
                                             "revision after which the record no longer says it (null: it "
                                             "still does).")
    removed_at = serializers.DateTimeField(required=False, allow_null=True)
    diff_url = serializers.CharField(required=False, allow_null=True)


class SearchPageSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
    total = serializers.IntegerField()
    next = serializers.CharField(allow_null=True, help_text="The next page (an opaque `cursor`), or null.")
    facets = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                   help_text="Per facet, the count of hits per value under the other facets.")


_HISTORY_FIELDS = ("first_revision", "first_recorded_at", "first_recorded_by", "first_kind",
                   "last_revision", "removed_at", "diff_url")
_SHOWN = ("type", "id", "url", "title", "snippet", "story", "version")

PARAMETERS = [
    OpenApiParameter("q", str, required=True, description='Words and "quoted phrases"; all must match.'),
    *(OpenApiParameter(name, str, description=text) for name, text in (
        ("story", "A story's slug."), ("type", "story, briefing, development, claim, actor or source."),
        ("kind", "A development kind."), ("actor", "An actor id."), ("verification", "A claim's status."),
        ("status", "A development's status (or 'retracted' for claims)."), ("key", "true: key developments."),
        ("from", "Happened on or after this date (by each development's precision)."),
        ("to", "Happened on or before this date."), ("country", "ISO 3166-1 alpha-2."),
        ("admin1", "Administrative area."), ("as_of", "ISO 8601: the record as it was known then."),
        ("history", "true: search every version, with when each match was first and last said."),
        ("cursor", "From `next`."), ("limit", "Results per page (1-100, default 20).")))]


class SearchView(APIView):
    """Search the record: the current one, as of a moment, or every version (`history=true`)."""

    @extend_schema(parameters=PARAMETERS, responses={200: SearchPageSerializer})
    def get(self, request):
        try:
            found = read(request.query_params)
        except QueryError as error:
            return Response({"q": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)

        def build() -> Response:
            results = search(found.query, filters=found.filters, upto=found.upto, history=found.history,
                             offset=found.offset, limit=found.limit)
            fields = _SHOWN + (_HISTORY_FIELDS if found.history else ())
            rows = [{name: row[name] for name in fields} for row in hit_rows(results, history=found.history)]
            following = None
            if results.has_more:
                following = request.build_absolute_uri(
                    "?" + urlencode({**found.shown, "cursor": cursor_for(found.offset + found.limit)}))
            facets = {name: {str(value).lower() if isinstance(value, bool) else str(value): count
                             for value, count in counts.items()} for name, counts in results.facets.items()}
            return Response(SearchPageSerializer(
                {"results": rows, "total": results.total, "next": following, "facets": facets}).data)

        return conditional_get(request, build, etag=search_etag(found.shown, "api-search"),
                               not_modified=lambda: Response(status=status.HTTP_304_NOT_MODIFIED))

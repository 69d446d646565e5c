"""The story's map: its developments by place over an offline basemap, a list of places without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import render

from edge.headers import shared
from edge.keys import story_page_keys
from events.models import Development
from reader.geojson import feature_collection
from record.moments import parse_moment
from record.selectors import revision_at
from search.params import QueryError, flag
from tracker.middleware import POLICY

from . import selectors as page_selectors
from .views import _as_of, bad_request, cached_per_revision

# The facets the map keeps in its URL, named and read as on /search/.
FACETS = ("as_of", "kind", "key")


@dataclass
class MapFacets:
    kind: str = ""
    key: bool = False

    def keep(self, development) -> bool:
        return (not self.kind or development.kind == self.kind) and (not self.key or development.key_event)


def _facets(request) -> MapFacets | str:
    """The facets asked for, or what is wrong with them (a clear 400, never a 500)."""
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in Development.Kind.values:
        return f"“kind” is one of {', '.join(Development.Kind.values)}."
    try:
        return MapFacets(kind=kind, key=flag(request.GET, "key"))
    except QueryError as error:
        return str(error)


def _policy() -> str:
    """The site's Content-Security-Policy, with the tile server's origin for images when one is set."""
    if not settings.MAP_TILES_URL:
        return POLICY
    parts = urlsplit(settings.MAP_TILES_URL.replace("{s}", "a"))
    return POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{parts.netloc}")


@cached_per_revision(*FACETS)
def story_map(request, slug: str):
    story = page_selectors.story_get(slug)
    facets = _facets(request)
    if isinstance(facets, str):
        return bad_request(request, facets)
    moment = upto = None
    if _as_of(request):
        moment = parse_moment(request.GET["as_of"])
        if moment is None:
            return bad_request(request, f"“{request.GET['as_of']}” is not a date we understand. Give an "
                               "ISO 8601 date or time, for example 2023-09-20 or 2023-09-20T12:00Z.")
        upto = revision_at(moment) or 0
    page = page_selectors.story_page(story, upto=upto, moment=moment)
    entries = [entry for entry in page.entries if facets.keep(entry.development)]
    placed = [entry for entry in entries if entry.development.latitude is not None]
    response = render(request, "pages/map.html", {
        "story": story, "page": page, "facets": facets, "placed": placed,
        "unplaced": [entry for entry in entries if entry.development.latitude is None],
        "geojson": feature_collection([entry.development for entry in placed], slug=story.slug),
        "kinds": Development.Kind.choices, "tiles_url": settings.MAP_TILES_URL,
    })
    response["Content-Security-Policy"] = _policy()
    return shared(response, story_page_keys(story.id, shows_claims=True))

"""The search page and the Atom feed of a search: thin views over search.params and search.selectors.

Each hit is shaped by reader.search_hits, as the API's are.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from events.models import Development
from reader.conditional import conditional_get
from reader.links import absolute, development_url
from reader.search_hits import hit_rows, search_etag
from search.params import NAMES, SearchRequest, cursor_for, read
from search.query import QueryError
from search.selectors import Results, search

from .feeds import PUBLISHER, xml_text

FEED_LENGTH = 50


def _groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hits grouped by the development they are in (claims under theirs), best group first."""
    groups: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = row["development_id"] or "elsewhere"
        groups.setdefault(key, {"development_id": row["development_id"], "story": row["story"],
                                "rows": []})["rows"].append(row)
    titles = dict(Development.objects.filter(id__in=[key for key in groups if key != "elsewhere"])
                  .values_list("id", "title"))
    for key, group in groups.items():
        group["title"] = titles.get(key, "")
        group["url"] = development_url(group["story"], key) if group["story"] and key in titles else None
    return list(groups.values())


def _facet_links(found: SearchRequest, results: Results) -> list[dict[str, Any]]:
    """Each facet's values with their counts, and the URL that adds (or removes) the value."""
    from events.models import Actor, Story

    stories = dict(Story.objects.filter(id__in=results.facets.get("story", {})).values_list("id", "slug"))
    names = {"story": dict(Story.objects.filter(id__in=stories).values_list("slug", "title")),
             "actor": dict(Actor.objects.filter(id__in=results.facets.get("actor", {}))
                           .values_list("id", "name"))}
    base = {name: value for name, value in found.shown.items() if name != "cursor"}
    facets = []
    for name, counts in results.facets.items():
        values = []
        for value, count in counts.items():
            param = "1" if name == "key" else stories.get(value, value) if name == "story" else str(value)
            label = names.get(name, {}).get(stories.get(value, value) if name == "story" else value)
            chosen = base.get(name) == param
            link = {**base}
            if chosen:
                link.pop(name)
            else:
                link[name] = param
            values.append({"value": param, "label": label or ("Key developments" if name == "key" else
                                                             str(value).replace("_", " ")),
                           "count": count, "chosen": chosen, "url": "?" + urlencode(link)})
        if values and any(value["count"] for value in values):
            facets.append({"name": name, "values": values})
    return facets


@require_safe
def search_page(request):
    """/search/: a search box, results grouped by development, facets with counts (no JavaScript needed)."""
    if not request.GET.get("q"):
        return render(request, "search/search.html", {"params": {}})
    try:
        found = read(request.GET)
    except QueryError as error:
        return render(request, "search/search.html", {"error": str(error), "params": request.GET},
                      status=400)

    def build() -> HttpResponse:
        results = search(found.query, filters=found.filters, upto=found.upto, history=found.history,
                         offset=found.offset, limit=found.limit)
        rows = hit_rows(results, history=found.history)
        more = None
        if results.has_more:
            more = "?" + urlencode({**found.shown, "cursor": cursor_for(found.offset + found.limit)})
        return render(request, "search/search.html", {
            "params": found.shown, "found": found, "kept": {  # the facets, kept through a new search
                name: value for name, value in found.shown.items()
                if name not in ("q", "history", "as_of", "cursor")},
            "results": results, "groups": _groups(rows),
            "facets": _facet_links(found, results), "more": more,
            "feed_url": reverse("pages:search_atom") + "?" + urlencode({"q": found.query.text})})

    return conditional_get(request, build, etag=search_etag(found.shown, "search"))


@require_safe
def search_atom(request):
    """/search/feed.atom?q=...: the newest versions that say it, so a reader can follow a phrase."""
    try:
        found = read(request.GET)
    except QueryError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")

    def build() -> HttpResponse:
        results = search(found.query, filters=found.filters, limit=FEED_LENGTH, newest=True,
                         with_facets=False)
        page_url = absolute(reverse("pages:search") + "?" + request.GET.urlencode())
        feed = Atom1Feed(title=xml_text(f"Tracker search: {found.query.text}"), link=page_url,
                         description="", language="en", feed_url=absolute(request.get_full_path()),
                         author_name=PUBLISHER, feed_guid=page_url)
        for row, hit in zip(hit_rows(results, history=False), results.hits, strict=True):
            link = absolute(row["url"] or page_url)
            feed.add_item(title=xml_text(row["title"]), link=link, description=xml_text(row["snippet"]),
                          unique_id=f"{link}#v{row['version']}", unique_id_is_permalink=False,
                          pubdate=hit.entry.recorded_at, updateddate=hit.entry.recorded_at,
                          author_name=PUBLISHER, categories=[row["type"]])
        return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")

    return conditional_get(request, build, etag=search_etag(found.shown, "search-atom"))


__all__ = ["NAMES", "search_atom", "search_page"]

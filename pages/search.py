"""The search page and the Atom feed of a search: thin views over search.params and search.selectors.

`hit_rows` is the one shape of a hit for readers (its link through reader.links,
its snippet, and in history when it was first and last said); the API reads it too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from events.models import Development
from reader.conditional import conditional_get
from reader.links import absolute, claim_url, development_url, story_url
from search.models import Entry
from search.params import NAMES, SearchRequest, cursor_for, read
from search.query import QueryError
from search.selectors import Results, search
from search.snippets import snippet

from .feeds import PUBLISHER, xml_text

FEED_LENGTH = 50


def hit_url(entry: Entry, slugs: dict[int, str]) -> str | None:
    """Where a reader sees the item a hit is in (None: it has no public page)."""
    slug = slugs.get(entry.story_id)
    if entry.type == "development" and slug:
        return development_url(slug, entry.item_id)
    if entry.type == "claim" and slug:
        return claim_url(slug, entry.development_id, entry.item_id)
    if entry.type in ("story", "briefing") and slug:
        return story_url(slug)
    if entry.type == "actor":
        return reverse("api-actor-detail", args=[entry.item_id])
    if entry.type == "source":
        return reverse("api-source-detail", args=[entry.item_id])
    return None


def _snippet_text(entry: Entry, words: list[str]) -> str:
    # The passage that says it: the body, else the words in their original language, else the title.
    for text in (entry.body, entry.original):
        if text and any(marked for _, marked in snippet(text, words)):
            return text
    return entry.body or entry.title


def _diff_url(entry: Entry, slug: str | None, removed_version: int | None) -> str | None:
    if entry.type != "development" or not slug or removed_version is None:
        return None
    base = reverse("pages:development_diff", args=[slug, entry.item_id])
    return f"{base}?from={entry.version}&to={removed_version}"


def hit_rows(results: Results, *, history: bool) -> list[dict[str, Any]]:
    """Each hit as readers get it: type, id, url, title, snippet (and its marked pieces), history."""
    rows = []
    for hit in results.hits:
        entry, words = hit.entry, results.query.words
        pieces = snippet(_snippet_text(entry, words), words)
        row = {"type": entry.type, "id": entry.item_id, "url": hit_url(entry, results.story_slugs),
               "title": entry.title, "snippet": "".join(piece for piece, _ in pieces), "pieces": pieces,
               "title_pieces": snippet(entry.title, words, width=400), "version": entry.version,
               "snippet_is_title": not (entry.body or entry.original),
               "development_id": entry.item_id if entry.type == "development" else entry.development_id,
               "story": results.story_slugs.get(entry.story_id), "status": entry.status}
        if history:
            first = hit.first
            row.update(first_revision=first.revision_id, first_recorded_at=first.recorded_at,
                       first_recorded_by=first.recorded_by, first_kind=first.revision_kind,
                       first_version=first.version, last_revision=hit.removed_revision,
                       removed_at=hit.removed_at, removed_version=hit.removed_version,
                       diff_url=_diff_url(entry, row["story"], hit.removed_version))
        rows.append(row)
    return rows


def search_etag(request_params: dict[str, str], kind: str) -> str:
    """A search's validator: its parameters and the index's latest entry (a new one per version indexed)."""
    latest = Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    digest = hashlib.sha256(json.dumps(sorted(request_params.items())).encode()).hexdigest()[:16]
    return f'W/"{kind}-{latest}-{digest}"'


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


__all__ = ["NAMES", "hit_rows", "hit_url", "search_atom", "search_etag", "search_page"]

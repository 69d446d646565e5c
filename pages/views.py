"""Public pages and feeds: thin views over events.page_selectors, cached per revision."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from record.checkpoints import latest_checkpoint
from record.moments import parse_moment
from record.numbers import MAX_VERSION, OutOfRange, bounded_int
from record.selectors import latest_revision_id, leaf_indexes, revision_at

from . import feeds
from . import selectors as page_selectors

PAGE_CACHE_SECONDS = 60 * 60


def cached_per_revision(*reads: str):
    """Cache a page under the latest revision id: any new revision is visible at once.

    `reads` names the query parameters the page reads. The key holds the path
    and those alone, so `?x=1`, `?x=2`, ... are one entry, not one each.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # The last value of each, as request.GET[name] gives it to the view.
            shown = [(name, request.GET[name]) for name in reads if name in request.GET]
            page = hashlib.sha256(json.dumps([request.path, shown]).encode()).hexdigest()
            key = f"pages:{view.__name__}:{latest_revision_id()}:{page}"
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
            return response

        return require_safe(wrapper)

    return decorate


def bad_request(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


@cached_per_revision()
def story_list(request):
    return render(request, "pages/story_list.html", {"stories": page_selectors.story_list()})


@cached_per_revision("as_of")
def story_detail(request, slug: str):
    story = page_selectors.story_get(slug)
    moment = upto = None
    if "as_of" in request.GET:
        moment = parse_moment(request.GET["as_of"])
        if moment is None:
            return bad_request(
                request, f"“{request.GET['as_of']}” is not a date we understand. Give an ISO 8601 "
                "date or time, for example 2023-09-20 or 2023-09-20T12:00Z.",
            )
        upto = revision_at(moment) or 0
    page = page_selectors.story_page(story, upto=upto, moment=moment)
    return render(request, "pages/story_detail.html", {
        "story": story, "page": page,
        "jsonld": feeds.story_jsonld(page) if moment is None else None,
    })


@cached_per_revision()
def story_changes(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story)
    return render(request, "pages/story_changes.html", {
        "story": story, "entries": entries,
        "corrections": [entry for entry in entries if entry.is_correction],
    })


def _feed_state(request, slug: str) -> tuple[int, dt.datetime] | None:
    # condition() asks for the ETag and for Last-Modified: one query answers both.
    if not hasattr(request, "_story_feed_state"):
        request._story_feed_state = page_selectors.story_feed_state(slug)
    return request._story_feed_state


def _feed_etag(request, slug: str) -> str | None:
    state = _feed_state(request, slug)
    return f"{slug}-r{state[0]}" if state else None


def _feed_last_modified(request, slug: str) -> dt.datetime | None:
    state = _feed_state(request, slug)
    return state[1] if state else None


def _feed(view):
    """condition() answers a conditional GET with 304 before the feed is built; a
    full GET is built once per revision of the story and then served from cache."""

    @wraps(view)
    def cached(request, slug: str):
        state = _feed_state(request, slug)
        if state is None:
            return view(request, slug)  # unknown story: the view answers 404
        key = f"feeds:{view.__name__}:{slug}:r{state[0]}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, slug)
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_CACHE_SECONDS)
        return response

    return require_safe(condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)(cached))


@_feed
def story_atom(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story, limit=feeds.FEED_LENGTH)
    return HttpResponse(feeds.atom_feed(story, entries), content_type="application/atom+xml; charset=utf-8")


@_feed
def story_json_feed(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story, limit=feeds.FEED_LENGTH)
    body = json.dumps(feeds.json_feed(story, entries), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/feed+json; charset=utf-8")


@cached_per_revision()
def story_timelinejs(request, slug: str):
    page = page_selectors.story_page(page_selectors.story_get(slug))
    response = JsonResponse(feeds.timelinejs(page), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # embeddable from any newsroom's page
    return response


@cached_per_revision()
def development_detail(request, slug: str, pk: int):
    page = page_selectors.development_page(slug, pk)
    reviews = feeds.claim_reviews({pk: page.threads}, slug)
    return render(request, "pages/development_detail.html", {
        "story": page.development.story, "development": page.development, "page": page,
        "jsonld": reviews,
    })


@cached_per_revision()
def development_history(request, slug: str, pk: int):
    development = page_selectors.development_get(slug, pk)
    versions = page_selectors.development_history(development)
    # Each version's place in the public log, and the checkpoint a proof is asked against.
    leaves = leaf_indexes(entry.row.revision_id for entry in versions)
    for entry in versions:
        entry.leaf_index = leaves.get(entry.row.revision_id)
    return render(request, "pages/development_history.html", {
        "story": development.story, "development": development, "versions": versions,
        "checkpoint": latest_checkpoint(),
    })


@cached_per_revision("from", "to")
def development_diff(request, slug: str, pk: int):
    development = page_selectors.development_get(slug, pk)
    try:
        # Version 0 is "nothing yet": from=0 shows the creation.
        newer = bounded_int(request.GET.get("to"), name="to", minimum=1, maximum=MAX_VERSION,
                            default=development.version)
        older = bounded_int(request.GET.get("from"), name="from", minimum=0, maximum=MAX_VERSION,
                            default=newer - 1)
    except OutOfRange as bad:
        return bad_request(request, f"{bad} For example ?from=1&to=2.")
    older, newer = sorted((older, newer))
    older_row, newer_row, changes = page_selectors.development_diff(
        development, older=older, newer=newer
    )
    return render(request, "pages/development_diff.html", {
        "story": development.story, "development": development,
        "older": older_row, "newer": newer_row, "changes": changes,
    })

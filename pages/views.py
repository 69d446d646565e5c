"""Public pages and feeds: thin views over events.page_selectors, cached per revision."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims.models import Claim
from edge import latest
from edge.headers import built_after, shared
from edge.keys import STORIES, story_page_keys
from events.models import Development
from events.selectors import story_timeline
from memento.negotiation import original as memento_original
from publiclog.checkpoints import latest_checkpoint
from publiclog.witnesses import vouching, witnesses_asked
from reader.conditional import conditional_get
from reader.geojson import MEDIA_TYPE as GEOJSON_MEDIA_TYPE
from reader.geojson import feature_collection
from reader.numbers import MAX_VERSION, OutOfRange, bounded_int
from record.moments import parse_moment
from record.selectors import leaf_indexes, revision_at

from . import feeds
from . import selectors as page_selectors

PAGE_CACHE_SECONDS = 60 * 60


def _from_cache(key: str, build) -> HttpResponse:
    """The response stored under `key`, or `build()` stored there when it is a 200.

    Its surrogate keys are stored with it, so a hit tags the response for the
    edge without asking the database what the page shows.
    """
    hit = cache.get(key)
    if hit is not None:
        content, content_type, keys = hit
        return shared(HttpResponse(content, content_type=content_type), keys.split())
    response = build()
    if response.status_code == 200:
        cache.set(key, (response.content, response["Content-Type"], response.get("xkey", "")),
                  PAGE_CACHE_SECONDS)
    return response


def cached_per_revision(*reads: str):
    """Cache a page under the latest revision id: any new revision is visible at once.

    `reads` names the query parameters the page reads. The key holds the path
    and those alone, so `?x=1`, `?x=2`, ... are one entry, not one each. The
    revision id comes from Redis (edge.latest), so a conditional GET is a 304
    and a repeated GET a cache hit without a database query.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            revision = latest.latest_revision_id()
            # The last value of each, as request.GET[name] gives it to the view.
            shown = [(name, request.GET[name]) for name in reads if name in request.GET]
            page = hashlib.sha256(json.dumps([request.path, shown]).encode()).hexdigest()
            etag = f'W/"{view.__name__}-r{revision}-{page[:16]}"'
            key = f"pages:{view.__name__}:{revision}:{page}"
            response = conditional_get(
                request, lambda: _from_cache(key, lambda: view(request, *args, **kwargs)), etag=etag)
            return built_after(shared(response) if response.status_code == 304 else response, revision)

        return require_safe(wrapper)

    return decorate


def bad_request(request, message: str):
    return render(request, "400.html", {"message": message}, status=400)


@cached_per_revision()
def story_list(request):
    response = render(request, "pages/story_list.html", {"stories": page_selectors.story_list()})
    return shared(response, [STORIES])


def _as_of(request) -> str:
    """The moment asked for, as sent; "" for now (the "Show" form sent with its date left empty)."""
    return request.GET.get("as_of", "").strip()


def _moment_asked(request) -> tuple[dt.datetime | None, int | None]:
    """(`?as_of=` moment, the revision cursor as of it; 0: nothing yet), (None, None) for now;
    ValueError (its message for the reader) when the moment is not a date."""
    if not _as_of(request):
        return None, None
    moment = parse_moment(request.GET["as_of"])
    if moment is None:
        raise ValueError(f"“{request.GET['as_of']}” is not a date we understand. Give an ISO 8601 "
                         "date or time, for example 2023-09-20 or 2023-09-20T12:00Z.")
    return moment, revision_at(moment) or 0


NEWEST = "newest"  # `?order=newest`: the story page's timeline from the latest development down


@memento_original
@cached_per_revision("as_of", "order")
def story_detail(request, slug: str):
    story = page_selectors.story_get(slug)
    try:
        moment, upto = _moment_asked(request)
    except ValueError as bad:
        return bad_request(request, str(bad))
    newest_first = request.GET.get("order") == NEWEST
    page = page_selectors.story_page(story, upto=upto, moment=moment, newest_first=newest_first)
    response = render(request, "pages/story_detail.html", {
        "story": story, "page": page, "order": NEWEST if newest_first else "",
        "jsonld": feeds.story_jsonld(page) if moment is None else None,
    })
    return shared(response, story_page_keys(story.id, shows_claims=True))


@cached_per_revision()
def story_changes(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story)
    response = render(request, "pages/story_changes.html", {
        "story": story, "entries": entries,
        "corrections": [entry for entry in entries if entry.is_correction],
    })
    return shared(response, story_page_keys(story.id))


def _feed_state(slug: str) -> tuple[int, dt.datetime] | None:
    """The story's last revision id and time (None: no such story): the feed's ETag and Last-Modified."""
    return latest.story_state(slug, page_selectors.story_feed_state)


def _key_only(request) -> bool:
    """`?key=true`: a feed of the key developments only."""
    return request.GET.get("key", "").lower() in ("1", "true", "yes")


def _feed(view):
    """The one conditional GET answers 304 before the feed is built (ETag: the story's last
    revision; Last-Modified: its time); a full GET is built once per revision of the story
    and then served from cache."""

    @wraps(view)
    def edge(request, slug: str):
        state = _feed_state(slug)
        if state is None:
            return view(request, slug)  # unknown story: the view answers 404
        revision, changed_at = state
        shown = "key" if _key_only(request) else "all"
        etag = f'"{slug}-r{revision}{"-key" if shown == "key" else ""}"'
        response = conditional_get(
            request, lambda: _from_cache(f"feeds:{view.__name__}:{slug}:r{revision}:{shown}",
                                         lambda: view(request, slug)),
            etag=etag, last_modified=changed_at)
        return shared(response) if response.status_code == 304 else response

    return require_safe(edge)


@_feed
def story_atom(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story, limit=feeds.FEED_LENGTH,
                                             key_only=_key_only(request))
    response = HttpResponse(feeds.atom_feed(story, entries),
                            content_type="application/atom+xml; charset=utf-8")
    return shared(response, story_page_keys(story.id))


@_feed
def story_json_feed(request, slug: str):
    story = page_selectors.story_get(slug)
    entries = page_selectors.story_changelog(story, limit=feeds.FEED_LENGTH,
                                             key_only=_key_only(request))
    body = json.dumps(feeds.json_feed(story, entries), ensure_ascii=False, indent=1)
    return shared(HttpResponse(body, content_type="application/feed+json; charset=utf-8"),
                  story_page_keys(story.id))


@cached_per_revision()
def story_timelinejs(request, slug: str):
    page = page_selectors.story_page(page_selectors.story_get(slug))
    response = JsonResponse(feeds.timelinejs(page), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # embeddable from any newsroom's page
    return shared(response, story_page_keys(page.story.id))


@cached_per_revision("as_of")
def story_geojson(request, slug: str):
    """The story's developments with coordinates as RFC 7946 GeoJSON; `?as_of=` as on the story page."""
    story = page_selectors.story_get(slug)
    upto = None
    if _as_of(request):
        moment = parse_moment(request.GET["as_of"])
        if moment is None:
            return JsonResponse({"error": f"“{request.GET['as_of']}” is not an ISO 8601 date or time, "
                                          "for example 2023-09-20T12:00Z."}, status=400)
        upto = revision_at(moment) or 0
    developments = story_timeline(story, upto=upto) if upto != 0 else []
    body = json.dumps(feature_collection(developments, slug=story.slug), ensure_ascii=False)
    response = HttpResponse(body, content_type=f"{GEOJSON_MEDIA_TYPE}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # mapping tools fetch it from their own origin
    return shared(response, story_page_keys(story.id))


@memento_original
@cached_per_revision("as_of")
def development_detail(request, slug: str, pk: int):
    try:
        moment, upto = _moment_asked(request)
    except ValueError as bad:
        return bad_request(request, str(bad))
    page = page_selectors.development_page(slug, pk, upto=upto)
    reviews = feeds.claim_reviews({pk: page.threads}, slug)
    response = render(request, "pages/development_detail.html", {
        "story": page.development.story, "development": page.development, "page": page,
        "jsonld": reviews, "moment": moment,
    })
    return shared(response, story_page_keys(page.development.story_id, development_id=pk, shows_claims=True))


@cached_per_revision()
def figure_chart(request, slug: str, pk: int, key: str):
    page = page_selectors.figure_page(slug, pk, key)
    development = page.development
    response = render(request, "pages/figure_chart.html", {
        "story": development.story, "development": development, "chart": page.chart})
    return shared(response, story_page_keys(development.story_id, development_id=pk, shows_claims=True))


def _with_leaves(versions):
    """Each version's place in the public log, for a proof against the latest checkpoint."""
    leaves = leaf_indexes(entry.row.revision_id for entry in versions)
    for entry in versions:
        entry.leaf_index = leaves.get(entry.row.revision_id)
    return versions


def _log_context() -> dict:
    """The latest signed checkpoint and the witnesses vouching for it, for the history pages."""
    checkpoint = latest_checkpoint()
    return {"checkpoint": checkpoint, "cosignatures": vouching(checkpoint),
            "witnesses_asked": witnesses_asked()}


def _versions_asked(request, current: int) -> tuple[int, int]:
    """(older, newer) from `?from=&to=`; version 0 is "nothing yet": from=0 shows the creation."""
    newer = bounded_int(request.GET.get("to"), name="to", minimum=1, maximum=MAX_VERSION, default=current)
    older = bounded_int(request.GET.get("from"), name="from", minimum=0, maximum=MAX_VERSION,
                        default=newer - 1)
    return tuple(sorted((older, newer)))


@cached_per_revision()
def development_history(request, slug: str, pk: int):
    development = page_selectors.development_get(slug, pk)
    response = render(request, "pages/development_history.html", {
        "story": development.story, "development": development,
        "versions": _with_leaves(page_selectors.item_history(Development, development.pk)),
        **_log_context(),
    })
    return shared(response, story_page_keys(development.story_id, development_id=pk))


def _diff_page(request, item, template: str, context: dict, keys: list[str]):
    """Two versions of a development or claim (`?from=&to=`) side by side, word by word."""
    try:
        older, newer = _versions_asked(request, item.version)
    except OutOfRange as bad:
        return bad_request(request, f"{bad} For example ?from=1&to=2.")
    older_row, newer_row, changes = page_selectors.item_diff(type(item), item.pk, older=older, newer=newer)
    response = render(request, template, {
        **context, "older": older_row, "newer": newer_row, "changes": changes})
    return shared(response, keys)


@cached_per_revision("from", "to")
def development_diff(request, slug: str, pk: int):
    development = page_selectors.development_get(slug, pk)
    return _diff_page(request, development, "pages/development_diff.html",
                      {"story": development.story, "development": development},
                      story_page_keys(development.story_id, development_id=pk))


def _claim_keys(claim):
    return story_page_keys(claim.development.story_id, development_id=claim.development_id, shows_claims=True)


@memento_original
@cached_per_revision("as_of")
def claim_detail(request, slug: str, pk: int):
    try:
        moment, upto = _moment_asked(request)
    except ValueError as bad:
        return bad_request(request, str(bad))
    page = page_selectors.claim_page(slug, pk, upto=upto)
    response = render(request, "pages/claim_detail.html", {
        "story": page.development.story, "development": page.development, "claim": page.claim,
        "page": page, "claim_labels": {page.claim.pk: page.labels}, "moment": moment})
    return shared(response, _claim_keys(page.claim))


@cached_per_revision()
def claim_history(request, slug: str, pk: int):
    claim = page_selectors.claim_get(slug, pk)
    response = render(request, "pages/claim_history.html", {
        "story": claim.development.story, "development": claim.development, "claim": claim,
        "versions": _with_leaves(page_selectors.item_history(Claim, claim.pk)),
        **_log_context(),
    })
    return shared(response, _claim_keys(claim))


@cached_per_revision("from", "to")
def claim_diff(request, slug: str, pk: int):
    claim = page_selectors.claim_get(slug, pk)
    return _diff_page(request, claim, "pages/claim_diff.html", {
        "story": claim.development.story, "development": claim.development, "claim": claim,
    }, _claim_keys(claim))

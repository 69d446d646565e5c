"""A search as URL parameters: one reading for the page, its feed and the API, so a URL shares alike.

`q` (words and "quoted phrases"), the facets `story` (slug), `type`, `kind`,
`actor` (id), `verification`, `status`, `key=1`, `from`/`to` (dates, when it
happened), `country`, `admin1`; `as_of` (ISO 8601) or `history=true`; `cursor`.
A value that cannot be read is a QueryError naming it (the surfaces answer 400).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.dateparse import parse_date

from record.moments import parse_moment
from record.selectors import revision_at

from .query import Query, QueryError, parse
from .selectors import MAX_PAGE_SIZE, PAGE_SIZE, Filters

# The parameters a search reads: anything else in a URL is ignored (and left out of cache keys).
NAMES = ("q", "story", "type", "kind", "actor", "verification", "status", "key", "from", "to",
         "country", "admin1", "as_of", "history", "cursor", "limit")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
MAX_OFFSET = 10_000


@dataclass
class SearchRequest:
    query: Query
    filters: Filters
    upto: int | None = None
    moment: dt.datetime | None = None
    history: bool = False
    offset: int = 0
    limit: int = PAGE_SIZE
    shown: dict[str, str] = field(default_factory=dict)  # the parameters as given, for links


def _choices() -> dict[str, set[str]]:
    from claims.models import Claim
    from events.models import Development

    from .models import Entry

    return {"type": set(Entry.Type.values), "kind": set(Development.Kind.values),
            "verification": set(Claim.Verification.values),
            "status": {*Development.Status.values, "developing", "concluded"}}


def flag(params: Mapping[str, str], name: str) -> bool:
    """A true/false parameter ("1", "true", "yes", "on" or "", "0", "false", ...), else QueryError."""
    value = params.get(name, "").strip().lower()
    if value not in _TRUE + _FALSE:
        raise QueryError(f"“{name}” is true or false, not “{value[:40]}”.")
    return value in _TRUE


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw) if raw.isascii() else None
    except ValueError:
        day = None
    if day is None:
        raise QueryError(f"“{name}” is a date like 2023-09-19, not “{raw[:40]}”.")
    return day


def _whole(raw: str, name: str, maximum: int) -> int:
    if not (raw.isascii() and raw.isdigit()) or int(raw) > maximum:
        raise QueryError(f"“{name}” is a whole number up to {maximum}.")
    return int(raw)


def cursor_for(offset: int) -> str:
    """The opaque cursor of the page that starts at `offset`."""
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(raw: str) -> int:
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not (text.startswith("o") and text[1:].isdigit() and int(text[1:]) <= MAX_OFFSET):
        raise QueryError("That cursor is not one this search gave out.")
    return int(text[1:])


def read(params: Mapping[str, str]) -> SearchRequest:
    """The search a URL's parameters describe, or QueryError."""
    shown = {name: params[name] for name in NAMES if params.get(name, "") not in ("", None)}
    query = parse(params.get("q", ""))
    choices = _choices()
    for name, allowed in choices.items():
        if params.get(name) and params[name] not in allowed:
            raise QueryError(f"“{name}” is one of {', '.join(sorted(allowed))}.")
    story = None
    if params.get("story"):
        from events.models import Story

        story = Story.objects.filter(slug=params["story"][:80]).values_list("id", flat=True).first()
        if story is None:
            raise QueryError(f"There is no story “{params['story'][:80]}”.")
    filters = Filters(
        story=story, type=params.get("type", ""), kind=params.get("kind", ""),
        actor=_whole(params["actor"], "actor", 2**62) if params.get("actor") else None,
        verification=params.get("verification", ""), status=params.get("status", ""),
        key=flag(params, "key"), occurred_from=_date(params, "from"), occurred_to=_date(params, "to"),
        country=params.get("country", "").upper()[:2], admin1=params.get("admin1", "")[:120])
    request = SearchRequest(query=query, filters=filters, history=flag(params, "history"), shown=shown)
    if params.get("as_of"):
        if request.history:
            raise QueryError("Search every version (history) or the record as of a moment, not both.")
        request.moment = parse_moment(params["as_of"])
        if request.moment is None:
            raise QueryError(f"“as_of” is an ISO 8601 date or time (e.g. 2023-09-20T12:00Z), "
                             f"not “{params['as_of'][:40]}”.")
        request.upto = revision_at(request.moment) or 0
    if params.get("cursor"):
        request.offset = _offset(params["cursor"])
    if params.get("limit"):
        request.limit = max(1, _whole(params["limit"], "limit", MAX_PAGE_SIZE))
    return request

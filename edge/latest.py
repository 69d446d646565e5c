"""The latest revision, globally and per story, kept in Redis so a 304 runs no SQL.

Globally, each process first asks its own listener (edge/watch.py: PostgreSQL
LISTEN/NOTIFY, a memory read, no round trip at all); only while that cannot
vouch for its copy (SQLite, listener down) is the value read as below.

Written after commit (receivers.py) and only ever raised, never lowered, by an
atomic compare-and-set in Redis, so two commits finishing out of order cannot
leave it naming the older one. It lags the database only between a COMMIT and
its on-commit write, or, when that write is lost (Redis unreachable), until
the value expires (EDGE_LATEST_TTL seconds) and is read again from the
database. Each process may also reuse a value it read for
EDGE_LATEST_MEMO_SECONDS (a fraction of a second: a 304 then needs no Redis
round trip either); a commit updates its own process's copy at once. It is
never ahead of the database, and every body is built after
the value is read: an ETag derived from it never names a newer state than the
body it is sent with, so a lag can delay a 200 but never make a 304 confirm a
stale body (README "The edge").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time

from django.conf import settings
from django.core.cache import cache

from record.selectors import latest_revision_id as latest_revision_id_from_db
from tracker.cache import UNREACHABLE, shared_redis

from . import watch

log = logging.getLogger(__name__)

# KEYS[1] the value; ARGV: revision id, the value to store ("<id>|<epoch>"), ttl.
_RAISE = """
local current = redis.call('GET', KEYS[1])
if current and tonumber(string.match(current, '^%d+')) >= tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""

GLOBAL = "edge:latest"
_memo: dict[str, tuple[float, tuple]] = {}  # name -> (valid until, value): this process's copy


def _story(slug: str) -> str:
    return f"edge:latest:story:{slug}"


def _raise(client, name: str, revision_id: int, moment: dt.datetime | None) -> None:
    value = f"{revision_id}|{moment.timestamp() if moment else ''}"
    client.eval(_RAISE, 1, cache.make_key(name), revision_id, value, settings.EDGE_LATEST_TTL)


def _read(client, name: str) -> tuple[int, dt.datetime | None] | None:
    raw = client.get(cache.make_key(name))
    if raw is None:
        return None
    revision, _, stamp = raw.decode().partition("|")
    moment = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC) if stamp else None
    return int(revision), moment


def note_committed(revision_id: int, story_slug: str | None, moment: dt.datetime) -> None:
    """Raise the global value and the story's to a revision that has just committed."""
    if (listener := watch.watcher()) is not None:
        listener.raise_to(revision_id)  # this process sees its own commit at once
    client = shared_redis()
    if client is None:
        return
    names = [GLOBAL, *([_story(story_slug)] if story_slug else [])]
    for name in names:
        _memo.pop(name, None)  # this process sees its own commit at once
    try:
        for name in names:
            _raise(client, name, revision_id, moment)
    except UNREACHABLE as exc:  # the value expires; readers then ask the database
        log.warning("Latest revision not noted in Redis: %s", exc)


def _remembered(name: str, from_db):
    memo = _memo.get(name)  # only ever set while the cache is Redis
    if memo and memo[0] > time.monotonic():
        return memo[1]
    client = shared_redis()
    found = _from_redis(client, name, from_db)
    if client is not None and found is not None and settings.EDGE_LATEST_MEMO_SECONDS > 0:
        _memo[name] = (time.monotonic() + settings.EDGE_LATEST_MEMO_SECONDS, found)
    return found


def _from_redis(client, name: str, from_db):
    if client is not None:
        try:
            found = _read(client, name)
            if found is not None:
                return found
        except UNREACHABLE as exc:
            log.warning("Latest revision not read from Redis: %s", exc)
            return from_db()
    found = from_db()
    if client is not None and found is not None:
        with contextlib.suppress(UNREACHABLE):
            _raise(client, name, *found)
    return found


def latest_revision_id() -> int:
    """The latest committed revision id (0 for an empty log)."""
    known = watch.known()
    if known is not None:
        return known
    return _remembered(GLOBAL, lambda: (latest_revision_id_from_db(), None))[0]


def story_state(slug: str, from_db) -> tuple[int, dt.datetime] | None:
    """(latest revision id, its time) of a story; `from_db(slug)` when Redis has no value."""
    return _remembered(_story(slug), lambda: from_db(slug))

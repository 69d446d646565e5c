"""4. Cursor depth: the change feed near the end vs near the start of a 100,000-revision log.

Writing 100,000 revisions through the services takes about half an hour on two
cores, so the log is filled in bulk: a "log" story gets its first versions
through the services, and every further revision is a minor edit of that
story's summary inserted by SQL that copies the service-written version row
(same columns, next version number, one more word in the summary). Each filler
revision therefore has the shape of the smallest real edit (one revision, one
version row, a one-word diff), and the feed pages at both ends hold the same
kind of entries: what differs between them is only their position in the log,
which is what the cursor measure is about. tests/bench checks that a bulk
revision reads back through the change feed exactly like a service-written one.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from events import services
from events.models import Story, StoryRevision
from events.selectors import story_revisions
from record.changes import change_feed
from record.models import Revision

from .generate import bench_author
from .http import uncached_get
from .measure import Result, compare

LOG_SLUG = "bench-log"
PAGE = 50


def log_story() -> Story:
    story = Story.objects.filter(slug=LOG_SLUG).first()
    if story is None:
        author = bench_author()
        story = services.story_create(author=author, message="Log story", slug=LOG_SLUG,
                                      title="Benchmark log", summary="Edit 1")
        story = services.story_update(author=author, story=story, base_version=story.version,
                                      message="Edit 2", changes={"summary": "Edit 1 2"},
                                      minor=True)
    return story


def fill_log(total: int) -> int:
    """Bulk minor revisions of the log story until the log holds `total` revisions; returns how many."""
    story = log_story()
    missing = total - Revision.objects.count()
    if missing <= 0:
        return 0
    history = Story.history.model._meta.db_table
    revisions = Revision._meta.db_table
    links = StoryRevision._meta.db_table
    start = max(dt.datetime.now(dt.UTC), Revision.objects.order_by("-id").first().created_at)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {revisions} IN EXCLUSIVE MODE")
        # Revisions 1 µs apart after the latest, in id order (the cursor's invariant).
        cursor.execute(
            f"WITH r AS (SELECT rv.author_id, rv.kind FROM {revisions} rv "  # noqa: S608
            f"  JOIN {links} l ON l.revision_id = rv.id WHERE l.story_id = %s "
            f"  ORDER BY rv.id DESC LIMIT 1), "
            f"added AS (INSERT INTO {revisions} (created_at, author_id, message, kind, minor) "
            f"  SELECT %s + n * interval '1 microsecond', r.author_id, 'Bulk edit ' || n, r.kind, true "
            f"  FROM generate_series(1, %s) AS n, r RETURNING id) "
            f"INSERT INTO {links} (revision_id, story_id) SELECT id, %s FROM added",
            [story.pk, start, missing, story.pk],
        )
        cursor.execute(
            f"WITH last AS (SELECT * FROM {history} WHERE id = %s ORDER BY version DESC LIMIT 1), "  # noqa: S608
            f"new AS (SELECT rv.id AS revision_id, rv.created_at, "
            f"  row_number() OVER (ORDER BY rv.id) AS n FROM {revisions} rv "
            f"  JOIN {links} l ON l.revision_id = rv.id "
            f"  WHERE l.story_id = %s AND rv.id > (SELECT revision_id FROM last)) "
            f"INSERT INTO {history} (id, version, slug, title, summary, status, history_date, "
            f"  history_change_reason, history_type, history_user_id, revision_id) "
            f"SELECT last.id, last.version + new.n, last.slug, last.title, "
            f"  last.summary || ' ' || (last.version + new.n), last.status, new.created_at, "
            f"  last.history_change_reason, last.history_type, last.history_user_id, new.revision_id "
            f"FROM last, new",
            [story.pk, story.pk],
        )
        cursor.execute(
            f"UPDATE {Story._meta.db_table} AS s SET version = h.version, summary = h.summary "  # noqa: S608
            f"FROM (SELECT version, summary FROM {history} WHERE id = %s "
            f"      ORDER BY version DESC LIMIT 1) AS h WHERE s.id = %s",
            [story.pk, story.pk],
        )
    return missing


def _offset_page(offset: int) -> None:
    """The contrast: the same page found by OFFSET, which reads every row it skips."""
    ids = list(Revision.objects.order_by("id").values_list("id", flat=True)[offset:offset + PAGE])
    change_feed(after=ids[0] - 1, limit=PAGE)


def cursor_depth(bench) -> Result:
    """4. /api/changes/?after= near the end vs near the start of the log (HTTP, in process)."""
    story = log_story()
    ids = list(story_revisions(story).filter(minor=True).order_by("id")
               .values_list("id", flat=True))
    total = Revision.objects.count()
    margin = min(1000, len(ids) // 10)
    near_start, near_end = ids[margin], ids[-margin - PAGE - 1]
    start_url, end_url = (f"/api/changes/?after={after}&limit={PAGE}" for after in (near_start, near_end))
    result = compare(
        "cursor_depth", "Cursor depth: /api/changes/?after= near the end vs near the start",
        target=1.2, repeat=bench.read_repeat,
        case=(f"after={near_end} (near the end)", uncached_get(end_url)),
        floor=(f"after={near_start} (near the start)", uncached_get(start_url)),
        revisions=total, case_url=end_url, floor_url=start_url,
    )
    start_offset = Revision.objects.filter(id__lte=near_start).count()
    end_offset = Revision.objects.filter(id__lte=near_end).count()
    contrast = compare(
        "offset_pager", "contrast", target=0, repeat=max(3, bench.read_repeat // 3),
        case=(f"OFFSET {end_offset}", lambda: _offset_page(end_offset)),
        floor=(f"OFFSET {start_offset}", lambda: _offset_page(start_offset)),
    )
    result.details["offset_pager"] = {
        "ratio": round(contrast.ratio, 2), "near_end_ms": contrast.case.ms,
        "near_start_ms": contrast.floor.ms,
    }
    return result


MEASURES = [cursor_depth]

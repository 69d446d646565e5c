"""Measures of drafts: what holding a change apart from the record and publishing it later costs."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from desk.roles import EDITORS_GROUP
from drafts import services as drafts
from events import services

from .measure import Result, compare
from .setup import Bench


def _bench_editor():
    # The drafts' services check the editor's permissions (the bench's author has none).
    user, _ = get_user_model().objects.get_or_create(username="bench-editor")
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def draft_publish(bench: Bench) -> Result:
    """Saving an edit as a draft and publishing it vs the same edit written at once."""
    editor, counter = _bench_editor(), itertools.count()
    development = bench.writes

    def current():
        return type(development).objects.get(pk=development.pk)

    def through_a_draft():
        n, item = next(counter), current()
        draft = drafts.draft_create(author=editor, item_type="events.development", item=item,
                                    message=f"Drafted edit {n}", values={"summary": f"Drafted {n}."})
        drafts.draft_publish(draft=draft, publisher=editor)

    def at_once():
        n, item = next(counter), current()
        services.development_update(author=editor, development=item, base_version=item.version,
                                    message=f"Direct edit {n}", changes={"summary": f"Direct {n}."})

    return compare(
        "draft_publish", "Drafts: save a draft and publish it vs the same edit at once",
        target=2.5, repeat=bench.write_repeat,
        case=("draft_create + draft_publish (one revision)", through_a_draft),
        floor=("development_update", at_once),
    )


MEASURES = [draft_publish]

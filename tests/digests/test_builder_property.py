"""Property: a window's reported changes are exactly the diff between the state as of
`after` and the state as of `upto`, however many edits fall inside it."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digests.builder import SECTIONS, build_window
from events.models import Development
from record.diff import diff_versions
from record.selectors import latest_revision_id, versions_as_of
from tests.digests.helpers import revise
from tests.factories import make_development

WORDS = st.sampled_from(["shelling", "ceasefire", "talks", "Karabakh", "reported", "denied", "."])
EDIT = st.tuples(
    st.integers(min_value=0, max_value=1),  # which development
    st.sampled_from(["summary", "location", "title"]),
    st.lists(WORDS, min_size=1, max_size=6).map(" ".join),
    st.booleans(),  # correction or update
)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDIT, min_size=1, max_size=8), data=st.data())
def test_the_window_equals_the_diff_between_its_two_states(editor, edits, data):
    try:
        with transaction.atomic():
            _check(editor, edits, data)
            raise Rollback
    except Rollback:
        pass


def _check(editor, edits, data):
    first = make_development(author=editor, summary="start", location="here")
    developments = [first, make_development(first.story, author=editor, summary="start")]
    cursors = [latest_revision_id()]
    for which, field, text, correction in edits:
        current = Development.objects.get(pk=developments[which].pk)
        if getattr(current, field) != text:
            revise(current, editor, kind="correction" if correction else "update", **{field: text})
        cursors.append(latest_revision_id())
    after = data.draw(st.sampled_from(cursors[:-1]))
    upto = data.draw(st.sampled_from([c for c in cursors if c >= after]))

    content = build_window(after, upto, include_minor=True)

    reported = {}
    for story in content["stories"]:
        for section in SECTIONS:
            for entry in story[section]:
                reported[entry["id"]] = [
                    {key: change[key] for key in ("field", "label", "before", "after", "words")}
                    for change in entry["changes"]
                ]
    expected = {}
    for development in developments:
        before = versions_as_of(Development, after, id=development.pk).first()
        now = versions_as_of(Development, upto, id=development.pk).first()
        changes = [change.as_dict() for change in diff_versions(before, now)]
        if changes:
            expected[development.pk] = changes
    assert reported == expected

"""The one diff function: field-level, word-level for text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import services
from record.diff import diff_values, diff_versions, word_diff
from tests.factories import make_development

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200)


@given(TEXT, TEXT)
def test_word_diff_rebuilds_both_sides(before, after):
    changes = word_diff(before, after)
    assert "".join(c.text for c in changes if c.op != "insert") == before
    assert "".join(c.text for c in changes if c.op != "delete") == after


@given(TEXT)
def test_word_diff_of_equal_texts_has_no_edits(text):
    assert all(c.op == "equal" for c in word_diff(text, text))


def test_word_diff_marks_whole_words():
    changes = word_diff("at least 200 killed", "at least 300 killed")
    assert [(c.op, c.text) for c in changes] == [
        ("equal", "at least "), ("delete", "200"), ("insert", "300"), ("equal", " killed"),
    ]


def test_word_diff_handles_mixed_scripts():
    changes = word_diff("Ստեփանակերտ Xankəndi", "Ստեփանակերտ Ханкенди")
    assert ("delete", "Xankəndi") in [(c.op, c.text) for c in changes]


def test_unchanged_fields_are_left_out():
    changes = diff_values({"title": "A", "kind": "x"}, {"title": "B", "kind": "x"})
    assert [c.field for c in changes] == ["title"]


@pytest.mark.django_db
def test_diff_between_two_versions_lists_changed_fields_with_words(editor):
    development = make_development(title="Offensive launched", location="")
    services.development_update(
        author=editor, development=development, base_version=1, message="Update",
        changes={"title": "Offensive ended", "location": "Karabakh"},
    )
    older, newer = development.history.order_by("version")
    changes = {c.field: c for c in diff_versions(older, newer)}
    assert set(changes) == {"title", "location"}
    assert [(w.op, w.text) for w in changes["title"].words] == [
        ("equal", "Offensive "), ("delete", "launched"), ("insert", "ended"),
    ]


@pytest.mark.django_db
def test_diff_of_a_creation_lists_the_content_given():
    development = make_development(title="New", location="Yevlakh")
    changes = {c.field: c for c in diff_versions(None, development.history.get())}
    assert changes["title"].before is None and changes["title"].after == "New"
    assert "ended_at" not in changes  # empty fields of a new item are not "changes"

"""Every version is searchable: when the record first said a thing, when it stopped, and as of a moment."""

import datetime as dt

import pytest
from django.contrib.auth.models import User

from events import services
from record.selectors import revision_at
from search.query import parse
from search.selectors import search
from tests.factories import make_development, make_story, make_user
from tests.search.helpers import found

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SEPT_19 = dt.datetime(2023, 9, 19, 11, 0, tzinfo=dt.UTC)
SEPT_20 = dt.datetime(2023, 9, 20, 16, 0, tzinfo=dt.UTC)
SEPT_21 = dt.datetime(2023, 9, 21, 9, 0, tzinfo=dt.UTC)


def _edit(development, summary, *, at, kind="update"):
    author = User.objects.filter(username="desk-editor").first() or make_user("desk-editor")
    return services.development_update(author=author, development=development,
                                       base_version=development.version, message="Edit",
                                       changes={"summary": summary}, kind=kind, at=at)


@pytest.fixture
def corrected(committed):
    """A development that said '200 dead' on 20 September and was corrected to '27 dead' on the 21st."""
    with committed():
        development = make_development(story=make_story(at=SEPT_19), summary="No figures yet.", at=SEPT_19)
        development = _edit(development, "At least 200 dead, officials say.", at=SEPT_20)
        development = _edit(development, "At least 27 dead, officials say.", at=SEPT_21, kind="correction")
    return development


def _only_hit(text, **options):
    results = search(parse(text), **options)
    assert results.total == 1
    return results.hits[0]


def test_what_the_record_no_longer_says_is_not_in_the_current_record(corrected):
    assert found('"200 dead"') == set()
    assert found('"27 dead"') == {("development", corrected.id)}


def test_a_phrase_in_a_past_version_says_when_it_was_first_recorded_and_by_whom(corrected):
    hit = _only_hit('"200 dead"', history=True)
    assert (hit.first.version, hit.first.recorded_at) == (2, SEPT_20)
    assert (hit.first.recorded_by, hit.first.revision_kind) == ("desk-editor", "update")


def test_a_phrase_no_longer_said_says_when_it_stopped_and_which_version_replaced_it(corrected):
    hit = _only_hit('"200 dead"', history=True)
    assert (hit.removed_version, hit.removed_at, hit.entry.version) == (3, SEPT_21, 2)
    assert hit.removed_revision == corrected.history.get(version=3).revision_id


def test_a_phrase_still_said_has_no_end(corrected):
    hit = _only_hit("officials", history=True)
    assert (hit.first.version, hit.entry.version, hit.removed_version) == (2, 3, None)


def test_as_of_a_moment_searches_the_record_as_it_was_known_then(corrected):
    between = revision_at(SEPT_20 + dt.timedelta(hours=1))
    assert found('"200 dead"', upto=between) == {("development", corrected.id)}
    assert found('"27 dead"', upto=between) == set()


def test_as_of_hides_what_was_not_yet_known(corrected):
    before = revision_at(SEPT_20 - dt.timedelta(seconds=1))
    assert found("officials", upto=before) == set()
    assert found("figures", upto=before) == {("development", corrected.id)}

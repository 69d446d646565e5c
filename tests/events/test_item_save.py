"""item_save: an item and the rows saved beside it are one service call and one revision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from events.models import Development
from events.saving import RowChange, item_save
from record.errors import StaleVersionError
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_story

pytestmark = pytest.mark.django_db


def _new_claim(actor) -> RowChange:
    return RowChange(Claim, {"actor": actor, "made_on": dt.date(2023, 9, 20), "claim_type": "statement",
                             "paraphrase": "The fighting stopped."}, parent="development")


def test_a_new_development_and_its_new_claim_are_one_revision_of_its_story(editor):
    story, actor = make_story(), make_actor()
    before = Revision.objects.count()
    development = item_save(
        author=editor, model=Development, message="Ceasefire", rows=[_new_claim(actor)],
        values={"story": story, "title": "Ceasefire agreed", "kind": "ceasefire",
                "occurred_at": dt.datetime(2023, 9, 20, 13, tzinfo=dt.UTC)})
    revision = development.history.get().revision
    assert Revision.objects.count() == before + 1
    assert Claim.objects.get(development=development).history.get().revision == revision
    assert (revision.kind, revision.story_link.story) == (Revision.Kind.CREATED, story)


def test_an_edit_of_a_row_alone_is_a_revision_with_the_edits_kind(editor):
    claim = make_claim()
    development = claim.development
    item_save(author=editor, model=Development, item=development, base_version=1, values={},
              message="Disputed", kind=Revision.Kind.CORRECTION,
              rows=[RowChange(Claim, {"verification": "disputed"}, item=claim, base_version=1)])
    claim.refresh_from_db()
    assert claim.version == 2
    assert claim.history.get(version=2).revision.kind == Revision.Kind.CORRECTION
    assert development.history.count() == 1


def test_a_save_that_changes_nothing_is_refused_and_writes_nothing(editor):
    development = make_development()
    before = Revision.objects.count()
    with pytest.raises(ValidationError, match="Nothing changed"):
        item_save(author=editor, model=Development, item=development, base_version=1, values={},
                  message="No-op")
    assert Revision.objects.count() == before


def test_a_stale_row_refuses_the_whole_save(editor):
    claim = make_claim()
    development = claim.development
    before = Revision.objects.count()
    with pytest.raises(StaleVersionError):
        item_save(author=editor, model=Development, item=development, base_version=1,
                  values={"summary": "More"}, message="Both",
                  rows=[RowChange(Claim, {"verification": "disputed"}, item=claim, base_version=0)])
    development.refresh_from_db()
    assert (Revision.objects.count(), development.version) == (before, 1)

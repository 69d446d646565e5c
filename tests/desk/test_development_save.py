"""Saving a development in the admin: one revision through the services, message required."""

import pytest

from claims.models import Claim
from events.models import Development
from record.models import Revision
from tests.desk.forms import form_data
from tests.factories import make_actor, make_claim, make_development, make_story

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/events/development/add/"


def change_url(development) -> str:
    return f"/admin/events/development/{development.pk}/change/"


def test_a_development_and_its_new_claim_are_one_revision(desk):
    story, actor = make_story(), make_actor()
    page = desk.get(ADD_URL)
    data = form_data(page, **{
        "story": str(story.pk), "title": "Ceasefire agreed", "kind": "ceasefire",
        "occurred_at_0": "2023-09-20", "occurred_at_1": "13:00", "occurred_precision": "hour",
        "change_message": "Ceasefire reported by the Kremlin",
        "claims-2-0-actor": str(actor.pk), "claims-2-0-made_on": "2023-09-20",
        "claims-2-0-claim_type": "statement", "claims-2-0-paraphrase": "The fighting stopped.",
    })
    before = Revision.objects.count()

    response = desk.post(ADD_URL, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    development = Development.objects.get(title="Ceasefire agreed")
    claim = Claim.objects.get(development=development)
    assert Revision.objects.count() == before + 1
    revision = Revision.objects.last()
    assert (revision.kind, revision.message, revision.author) == (
        "created", "Ceasefire reported by the Kremlin", desk.user)
    assert development.history.get().revision == revision
    assert claim.history.get().revision == revision
    assert revision.story_link.story == story


def test_an_edit_records_its_message_kind_and_minor_flag(desk):
    development = make_development(title="Talks in Yevlakh")
    page = desk.get(change_url(development))
    response = desk.post(change_url(development), form_data(
        page, title="Talks in Yevlakh, Azerbaijan", change_message="Place named",
        change_kind="clarification", minor="on"))
    assert response.status_code == 302
    development.refresh_from_db()
    assert (development.title, development.version) == ("Talks in Yevlakh, Azerbaijan", 2)
    revision = development.history.get(version=2).revision
    assert (revision.kind, revision.message, revision.minor) == ("clarification", "Place named", True)


def test_a_save_without_a_message_is_refused_and_saves_nothing(desk):
    development = make_development(title="Old title")
    page = desk.get(change_url(development))
    before = Revision.objects.count()
    response = desk.post(change_url(development), form_data(page, title="New title", change_message=" "))
    assert response.status_code == 200
    assert "change_message" in response.context["adminform"].form.errors
    development.refresh_from_db()
    assert (development.title, development.version, Revision.objects.count()) == ("Old title", 1, before)


def test_a_save_that_changes_nothing_is_refused(desk):
    development = make_development()
    page = desk.get(change_url(development))
    before = Revision.objects.count()
    response = desk.post(change_url(development), form_data(page, change_message="No-op"))
    assert response.status_code == 200
    assert "Nothing changed" in str(response.context["adminform"].form.non_field_errors())
    assert Revision.objects.count() == before


def test_a_bad_new_claim_is_a_form_error_and_saves_nothing(desk):
    development, actor = make_development(title="Casualties"), make_actor()
    page = desk.get(change_url(development))
    before = Revision.objects.count()
    response = desk.post(change_url(development), form_data(page, **{
        "summary": "Figures differ", "change_message": "Figures",
        "claims-2-0-actor": str(actor.pk), "claims-2-0-made_on": "2023-09-20",
        "claims-2-0-claim_type": "figure", "claims-2-0-paraphrase": "At least 200 killed",
        "claims-2-0-figure_qualifier": "at_least", "claims-2-0-figure_low": "200",
    }))
    assert response.status_code == 200
    new_claims = response.context["inline_admin_formsets"][1].formset
    assert "figure_unit" in new_claims.forms[0].errors
    assert Revision.objects.count() == before
    development.refresh_from_db()
    assert development.summary == ""


def test_verification_is_reviewed_inline_in_the_same_revision(desk):
    development = make_development()
    claim = make_claim(development)
    page = desk.get(change_url(development))
    response = desk.post(change_url(development), form_data(page, **{
        "claims-0-verification": "disputed", "claims-0-verification_note": "Denied by the ministry",
        "change_message": "Allegation disputed",
    }))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.verification, claim.version) == ("disputed", 2)
    assert claim.history.get(version=2).revision.message == "Allegation disputed"
    assert development.history.count() == 1  # the development itself did not change


def test_the_status_field_does_not_offer_retraction(desk):
    page = desk.get(change_url(make_development()))
    choices = dict(page.context["adminform"].form.fields["status"].choices)
    assert "retracted" not in choices


def test_the_list_shows_the_date_as_precise_as_the_editor_said(desk):
    import datetime as dt
    make_development(title="By the hour", occurred_at=dt.datetime(2023, 9, 20, 18, 0, tzinfo=dt.UTC),
                     occurred_precision="hour")
    make_development(title="By the day", occurred_at=dt.datetime(2023, 9, 19, tzinfo=dt.UTC))
    page = desk.get("/admin/events/development/").content.decode()
    assert "20 Sept 2023, 18:00 UTC" in page  # house style, as on the pages (was "20 Sep 2023, 18:00")
    assert "19 Sept 2023<" in page

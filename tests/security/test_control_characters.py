"""Control characters never reach the database: every writer gets a field error, nothing is saved.

HTML forbids C0/C1 controls other than tab, newline and carriage return (the Nu
checker: "Forbidden code point"), so stored ones would break every page showing them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CharField, TextField
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.common import item_etag
from claims import services as claim_services
from claims.models import Claim
from events.models import Development
from record.models import Revision
from record.registry import versioned_models
from record.validators import text_fields
from tests.desk.forms import form_data
from tests.factories import make_actor, make_development, make_editor, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

# The ends of each refused range, and the C1 "next line" a copy from a PDF brings in.
REFUSED = ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x85", "\x9f"]


def _editor_api() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=make_editor()).key}")
    return client


def _post_development(story, **fields):
    body = {"story": story.slug, "title": "Talks in Yevlakh", "kind": "negotiation",
            "occurred_at": "2023-09-21T10:00:00Z", "message": "Reported", **fields}
    return _editor_api().post("/api/developments/", body, format="json")


def test_an_api_write_with_a_control_character_is_a_400_naming_the_field_and_writes_no_revision():
    story = make_story()
    revisions = Revision.objects.count()

    response = _post_development(story, title="Talks\x07in Yevlakh")

    assert response.status_code == 400, response.content
    assert response.json()["title"] == ["Remove the control character U+0007 from this text."]
    assert Revision.objects.count() == revisions
    assert not story.developments.exists()


def test_a_revision_message_with_a_control_character_is_a_400_naming_the_message():
    story = make_story()
    revisions = Revision.objects.count()

    response = _post_development(story, message="Reported\x1b[31m")

    assert response.status_code == 400, response.content
    assert "U+001B" in response.json()["message"][0]
    assert Revision.objects.count() == revisions


def test_an_api_edit_with_a_control_character_is_refused_and_leaves_the_version():
    development = make_development(summary="Talks began.")
    client = _editor_api()

    response = client.patch(f"/api/developments/{development.pk}/",
                            {"summary": "Talks\x0cbegan.", "message": "Fixed"}, format="json",
                            HTTP_IF_MATCH=item_etag(development))

    assert response.status_code == 400, response.content
    assert "U+000C" in response.json()["summary"][0]
    development.refresh_from_db()
    assert (development.summary, development.version) == ("Talks began.", 1)


def test_the_desk_add_form_shows_the_field_error_and_saves_nothing(client, editor):
    client.force_login(editor)
    story = make_story()
    url = "/admin/events/development/add/"
    data = form_data(client.get(url), **{
        "story": str(story.pk), "title": "Ceasefire\x07agreed", "kind": "ceasefire",
        "occurred_at_0": "2023-09-20", "occurred_at_1": "13:00", "occurred_precision": "hour",
        "change_message": "Ceasefire reported",
    })
    revisions = Revision.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Remove the control character U+0007 from this text."]
    assert Revision.objects.count() == revisions
    assert not story.developments.exists()


def test_a_claim_through_the_service_raises_a_validation_error_naming_the_field():
    development, actor = make_development(), make_actor()

    with pytest.raises(ValidationError) as refused:
        claim_services.claim_create(
            author=make_editor(), development=development, message="New claim", actor=actor,
            made_on=dt.date(2023, 9, 20), paraphrase="The fighting\x85stopped.")

    assert refused.value.message_dict == {
        "paraphrase": ["Remove the control character U+0085 from this text."]}
    assert not Claim.objects.filter(development=development).exists()


@pytest.mark.parametrize("character", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_each_refused_control_character_is_named(character):
    story = make_story()

    response = _post_development(story, summary=f"Before{character}after")

    assert response.status_code == 400, response.content
    assert response.json()["summary"] == [
        f"Remove the control character U+{ord(character):04X} from this text."]


def test_tab_newline_and_carriage_return_are_still_accepted():
    story = make_story()

    response = _post_development(story, summary="Line one\r\n\tindented\nline three\u00a0end")

    assert response.status_code == 201, response.content
    assert story.developments.get().summary == "Line one\r\n\tindented\nline three\u00a0end"


@pytest.mark.parametrize("model", versioned_models(), ids=lambda model: model.__name__)
def test_every_text_field_of_every_versioned_model_refuses_control_characters(model):
    # Built in memory only: the check belongs to the model, whatever writes it.
    instance = model(**{field.attname: "ok\x02" for field in text_fields(model)})

    with pytest.raises(ValidationError) as refused:
        instance.clean_fields()

    errors = refused.value.message_dict
    assert {field.name for field in text_fields(model)} <= set(errors)
    # Where no other rule (a choice, a URL, a slug, a code's own validator) refused the value
    # first, this one did.
    plain = [f.name for f in text_fields(model) if type(f) in (CharField, TextField) and not f.choices
             and not f._validators]
    assert plain and all("U+0002" in errors[name][0] for name in plain), errors


def test_a_development_via_the_service_is_refused_on_its_location():
    story = make_story()

    with pytest.raises(ValidationError) as refused:
        make_development(story=story, location="Stepan\x1fakert")

    assert list(refused.value.message_dict) == ["location"]
    assert not Development.objects.filter(story=story).exists()

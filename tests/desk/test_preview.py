"""A draft's preview: the proposed development or claim in the public page's own layout, editors only."""

import datetime as dt

import pytest
from django.test import Client

from claims.models import Claim
from drafts.models import Draft
from drafts.services import draft_create
from events.models import Development
from record.models import Revision
from tests.factories import (
    make_actor,
    make_claim,
    make_development,
    make_editor,
    make_source,
    make_story,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _editor_client() -> tuple[Client, object]:
    editor = make_editor()
    client = Client()
    client.force_login(editor)
    return client, editor


def _preview(client, draft):
    return client.get(f"/admin/drafts/draft/{draft.pk}/preview/")


def _edit_draft(editor, development, **values) -> Draft:
    return draft_create(author=editor, item_type="events.development", item=development,
                        values=values, message="Town named", kind=Revision.Kind.CORRECTION)


def test_an_edit_of_a_development_is_shown_in_the_public_page_layout_with_a_banner():
    client, editor = _editor_client()
    development = make_development(title="Shelling reported")
    draft = _edit_draft(editor, development, title="Shelling of Stepanakert reported")
    html = _preview(client, draft).content.decode()
    assert f"Preview of draft {draft.pk} — not published." in html
    assert 'class="development-page' in html  # the public page's own template
    assert "<h1><bdi>Shelling of Stepanakert reported</bdi></h1>" in html


def test_a_new_development_shows_its_proposed_place_actors_and_sources():
    client, editor = _editor_client()
    story = make_story()
    actor, source = make_actor(name="Gegham Stepanyan"), make_source(outlet="Ombudsman")
    draft = draft_create(author=editor, item_type="events.development", message="New", values={
        "story": story, "title": "Toll rises", "kind": Development.Kind.CASUALTY_REPORT,
        "occurred_at": dt.datetime(2023, 9, 20, tzinfo=dt.UTC), "location": "Yevlakh",
        "actors": [actor], "sources": [source]})
    html = _preview(client, draft).content.decode()
    assert "<h1><bdi>Toll rises</bdi></h1>" in html and "Yevlakh" in html
    assert "Gegham Stepanyan" in html and "Ombudsman" in html


def test_a_new_claim_is_shown_in_the_claim_page_layout():
    client, editor = _editor_client()
    development = make_development()
    actor = make_actor(name="David Babayan")
    draft = draft_create(author=editor, item_type="claims.claim", message="New claim", values={
        "development": development, "actor": actor, "made_on": dt.date(2023, 9, 21),
        "paraphrase": "A final deal is still awaited.", "claim_type": Claim.Type.STATEMENT})
    html = _preview(client, draft).content.decode()
    assert f"Preview of draft {draft.pk} — not published." in html
    assert "A claim by David Babayan" in html and "A final deal is still awaited." in html


def test_a_retraction_is_shown_as_withdrawn_with_its_reason():
    client, editor = _editor_client()
    claim = make_claim(paraphrase="Two villages taken")
    draft = draft_create(author=editor, item_type="claims.claim", item=claim, values={},
                         message="The report was withdrawn", kind=Revision.Kind.RETRACTION)
    html = _preview(client, draft).content.decode()
    assert "<strong>Retracted:</strong> The report was withdrawn" in html


def test_the_preview_is_never_kept_by_a_shared_cache():
    client, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="New title")
    cache_control = _preview(client, draft)["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_the_preview_writes_nothing():
    client, editor = _editor_client()
    development = make_development(title="Old title")
    draft = _edit_draft(editor, development, title="New title")

    def written():
        draft_saved = Draft.objects.get(pk=draft.pk).updated_at
        return Revision.objects.count(), Development.history.count(), draft_saved

    before = written()
    assert _preview(client, draft).status_code == 200
    assert written() == before
    assert Development.objects.get(pk=development.pk).title == "Old title"


def test_a_reader_cannot_open_the_preview():
    _, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="Not yet public")
    response = Client().get(f"/admin/drafts/draft/{draft.pk}/preview/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_staff_member_without_the_drafts_permission_cannot_open_it():
    _, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="Not yet public")
    client = Client()
    client.force_login(make_user(is_staff=True))
    assert client.get(f"/admin/drafts/draft/{draft.pk}/preview/").status_code == 403


def test_the_draft_page_links_its_preview():
    client, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="New title")
    html = client.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert f'href="/admin/drafts/draft/{draft.pk}/preview/"' in html


def test_an_item_without_a_public_page_has_no_preview():
    client, editor = _editor_client()
    draft = draft_create(author=editor, item_type="events.actor", item=make_actor(),
                         values={"name": "Renamed"}, message="Rename")
    assert _preview(client, draft).status_code == 404
    html = client.get(f"/admin/drafts/draft/{draft.pk}/change/").content.decode()
    assert "/preview/" not in html


def test_the_banner_leads_back_to_the_draft():
    client, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="New title")
    html = _preview(client, draft).content.decode()
    assert f'<a href="/admin/drafts/draft/{draft.pk}/change/">Back to the draft</a>' in html


def test_a_draft_that_no_longer_validates_gets_a_clear_error_not_a_500():
    client, editor = _editor_client()
    draft = _edit_draft(editor, make_development(), title="New title")
    Draft.objects.filter(pk=draft.pk).update(fields={"latitude": 40.6})  # a latitude without a longitude
    response = _preview(client, draft)
    assert response.status_code == 400
    assert "Give both latitude and longitude" in response.content.decode()

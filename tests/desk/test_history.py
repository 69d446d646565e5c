"""History, diff and restore pages: every version one click away; the past never rewritten."""

import pytest

from events import services
from events.models import Development
from tests.factories import make_actor, make_claim, make_development

pytestmark = pytest.mark.django_db


def _edited(editor):
    development = make_development(author=editor, summary="Fighting in Karabakh.")
    return services.development_update(
        author=editor, development=development, base_version=1, kind="correction",
        message="Fighting ended within a day",
        changes={"summary": "Fighting in Karabakh ended within a day."})


def test_the_history_lists_versions_with_author_time_kind_and_message(desk):
    development = _edited(desk.user)
    page = desk.get(f"/admin/events/development/{development.pk}/history/").content.decode()
    assert "Fighting ended within a day" in page and "Correction" in page
    assert desk.user.username in page
    assert "restore this version" in page


def test_the_diff_is_word_level_from_the_one_diff_function(desk):
    development = _edited(desk.user)
    response = desk.get(f"/admin/events/development/{development.pk}/history/diff/?from=1&to=2")
    assert [c.field for c in response.context["changes"]] == ["summary"]
    assert "<ins> ended within a day</ins>" in response.content.decode()


def test_a_diff_with_bad_versions_is_a_clear_4xx(desk):
    development = _edited(desk.user)
    url = f"/admin/events/development/{development.pk}/history/diff/"
    assert desk.get(url + "?from=one&to=2").status_code == 400
    assert desk.get(url + "?from=1&to=9").status_code == 404


def test_restoring_writes_a_new_version_of_kind_restore(desk):
    development = _edited(desk.user)
    url = f"/admin/events/development/{development.pk}/history/1/restore/"
    assert "<del> ended within a day</del>" in desk.get(url).content.decode()  # what restoring undoes
    response = desk.post(url, {"change_message": "Back to the first report", "base_version": "2"})
    assert response.status_code == 302
    development.refresh_from_db()
    assert (development.version, development.summary) == (3, "Fighting in Karabakh.")
    assert development.history.get(version=3).revision.kind == "restore"
    assert development.history.get(version=2).summary == "Fighting in Karabakh ended within a day."


def test_restoring_needs_a_message(desk):
    development = _edited(desk.user)
    response = desk.post(f"/admin/events/development/{development.pk}/history/1/restore/",
                         {"change_message": "", "base_version": "2"})
    assert "change_message" in response.context["form"].errors
    assert Development.objects.get(pk=development.pk).version == 2


def test_claims_have_history_and_restore_too(desk):
    from claims.services import claim_verify

    claim = make_claim(author=desk.user)
    claim_verify(author=desk.user, claim=claim, base_version=1, verification="refuted",
                 note="Old footage", message="Refuted")
    response = desk.post(f"/admin/claims/claim/{claim.pk}/history/1/restore/",
                         {"change_message": "Refutation withdrawn", "base_version": "2"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.verification, claim.version) == ("unverified", 3)


def test_the_diff_reads_choices_by_label_and_actors_by_name(desk):
    actor = make_actor(name="Armenian government")
    development = make_development(author=desk.user, kind="statement")
    services.development_update(author=desk.user, development=development, base_version=1,
                                message="It was an offensive", kind="correction",
                                changes={"kind": "military_action", "actors": [actor]})
    page = desk.get(f"/admin/events/development/{development.pk}/history/diff/?from=1&to=2")
    html = page.content.decode()
    assert "<del>Statement</del> → <ins>Military action</ins>" in html
    assert "<del>—</del> → <ins>Armenian government</ins>" in html
    assert "military_action" not in html.split('id="content-main"')[1]

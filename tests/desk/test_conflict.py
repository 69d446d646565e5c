"""Two editors edit the same development: the second is told what changed, nothing is lost."""

import pytest

from events.models import Development
from record.models import Revision
from tests.desk.forms import form_data
from tests.factories import make_development, make_editor

pytestmark = pytest.mark.django_db


def test_the_second_save_is_refused_with_what_changed_since_it_was_opened(client, desk):
    development = make_development(title="Talks in Yevlakh", summary="Officials met.")
    url = f"/admin/events/development/{development.pk}/change/"
    second = client.__class__()
    second.force_login(make_editor("second"))
    first_page, second_page = desk.get(url), second.get(url)

    assert desk.post(url, form_data(first_page, summary="Officials met separatist leaders.",
                                    change_message="Who met")).status_code == 302
    revisions = Revision.objects.count()
    response = second.post(url, form_data(second_page, title="Talks in Yevlakh end",
                                          change_message="Outcome"))

    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert (conflict["opened"], conflict["current"]) == (1, 2)
    assert [c.field for c in conflict["changes"]] == ["summary"]
    page = response.content.decode()
    assert "changed while you were editing" in page and "<ins> separatist leaders</ins>" in page
    assert 'value="Talks in Yevlakh end"' in page  # the second editor's input is kept
    development.refresh_from_db()
    assert (development.summary, development.title, development.version) == (
        "Officials met separatist leaders.", "Talks in Yevlakh", 2)
    assert Revision.objects.count() == revisions


def test_a_stale_retraction_is_refused(desk):
    from events.services import development_update

    development = make_development()
    development_update(author=desk.user, development=development, base_version=1,
                       message="Moved", changes={"location": "Stepanakert"})
    response = desk.post(f"/admin/events/development/{development.pk}/retract/",
                         {"reason": "Never happened", "base_version": "1"})
    assert response.status_code == 200 and response.context["conflict"]["current"] == 2
    assert Development.objects.get(pk=development.pk).status != "retracted"

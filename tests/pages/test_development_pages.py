"""A development's page, its version history and the diff between two versions."""

import pytest

from events import services
from events.models import Development
from record.models import Revision
from tests.factories import make_actor, make_claim, make_development, make_story, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited():
    development = make_development(title="Shelling reported", summary="Shells hit the town centre.")
    return services.development_update(
        author=make_user(), development=development, base_version=development.version,
        kind=Revision.Kind.CORRECTION, message="Correction: it was the market, not the centre",
        changes={"summary": "Shells hit the town market.", "status": Development.Status.CONFIRMED},
    )


def url(development, rest=""):
    return development.get_absolute_url() + rest


def test_the_page_shows_the_current_version_with_claims_and_labels(client, edited):
    make_claim(development=edited, paraphrase="Nobody was hurt.", actor=make_actor(name="Town mayor"))
    html = client.get(url(edited)).content.decode()
    assert "Shells hit the town market." in html
    assert "Nobody was hurt." in html and "Town mayor" in html
    assert "Corrected <time" in html
    assert "Version history" in html


def test_the_page_is_404_under_another_story(client, edited):
    other = make_story()
    assert client.get(f"/stories/{other.slug}/developments/{edited.pk}/").status_code == 404


def test_the_history_lists_versions_with_kind_message_and_time(client, edited):
    html = client.get(url(edited, "history/")).content.decode()
    assert html.index("Correction: it was the market") < html.index("New development")
    assert "Version 2" in html and "Version 1" in html
    assert "Changed: Summary, Status" in html
    assert "?from=1&amp;to=2" in html


def test_the_diff_marks_words_inserted_and_deleted_accessibly(client, edited):
    html = client.get(url(edited, "diff/?from=1&to=2")).content.decode()
    assert '<del><span class="visually-hidden">[removed: </span>centre' in html
    assert '<ins><span class="visually-hidden">[added: </span>market' in html
    assert "Correction: it was the market, not the centre" in html
    # A changed choice field is shown by its label, before and after.
    assert "Reported" in html and "Confirmed" in html


def test_the_diff_names_actors_rather_than_ids(client):
    development = make_development()
    actor = make_actor(name="Foreign ministry")
    services.development_update(author=make_user(), development=development, base_version=1,
                                message="Added who was involved", changes={"actors": [actor]})
    assert "Foreign ministry" in client.get(url(development, "diff/?from=1&to=2")).content.decode()


def test_the_first_version_diffs_against_nothing(client, edited):
    html = client.get(url(edited, "diff/?from=0&to=1")).content.decode()
    assert "first published" in html
    assert "Shells hit the town centre." in html


def test_the_diff_defaults_to_the_latest_change(client, edited):
    assert "What changed from version 1 to 2" in client.get(url(edited, "diff/")).content.decode()


def test_a_diff_with_a_non_numeric_version_is_400(client, edited):
    response = client.get(url(edited, "diff/?from=one&to=2"))
    assert response.status_code == 400
    assert "“from” must be a whole number" in response.content.decode()


def test_a_diff_with_a_missing_version_is_404(client, edited):
    assert client.get(url(edited, "diff/?from=1&to=9")).status_code == 404


def test_pages_refuse_writes(client, edited):
    assert client.post(url(edited)).status_code == 405

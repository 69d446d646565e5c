"""The story's changelog: every revision, corrections first-class."""

import pytest

from events.selectors import story_revisions

pytestmark = pytest.mark.django_db

URL = "/stories/karabakh-2023/changes/"


def test_it_lists_corrections_in_their_own_section_first(client, demo_story):
    html = client.get(URL).content.decode()
    corrections = html.index('id="corrections-title"')
    full_log = html.index('id="log-title"')
    correction = html.index("Correction: the address was given on the evening of 20 September")
    assert corrections < correction < full_log


def test_it_lists_every_revision_newest_first_with_links(client, demo_story):
    html = client.get(URL).content.decode()
    assert html.index("Russian peacekeepers were also killed") < html.index("Offensive reported")
    assert html.count('class="change change-') >= story_revisions(demo_story).count()
    assert "?as_of=2023-09-21T15%3A00%3A00%2B00%3A00" in html
    assert "see the changes" in html


def test_it_is_404_for_an_unknown_story(client, db):
    assert client.get("/stories/unknown/changes/").status_code == 404


def test_a_claim_change_names_its_development(client, demo_story):
    html = client.get(URL).content.decode()
    assert "Claim about <a href=" in html
    assert ">Death toll of the offensive unclear</a>: Ethnic Armenian sources" in html

"""The digest builder: what changed in a window, per story, collapsed into one before/after."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services as claim_services
from claims.models import Claim
from digests.builder import WindowCache, build_window, is_empty
from digests.models import Subscription
from events import services
from events.models import Development
from tests.digests.helpers import cursor, revise, story_entry
from tests.factories import edit_many_times, make_claim, make_development, make_source, make_story

pytestmark = pytest.mark.django_db


def test_it_has_a_version_and_its_window():
    content = build_window(0, 0)
    assert content == {"version": 1, "after": 0, "upto": 0, "stories": []}


def test_an_empty_window_has_no_stories(editor):
    make_development(author=editor)
    start = cursor()
    assert is_empty(build_window(start, start + 5))


def test_a_new_development_is_listed_with_its_summary(editor):
    story = make_story(author=editor)
    start = cursor()
    make_development(story, author=editor, title="Ceasefire agreed", summary="Both sides stop.")
    entry = story_entry(build_window(start, cursor()), story.slug)
    [new] = entry["new_developments"]
    assert (new["title"], new["summary"]) == ("Ceasefire agreed", "Both sides stop.")
    assert new["from_version"] is None
    assert new["url"].endswith(f"/stories/{story.slug}/developments/{new['id']}/")


def test_a_what_we_know_change_reads_as_a_change_of_its_story(editor):
    story = make_story(author=editor)
    briefing = services.briefing_create(author=editor, story=story, message="Pinned",
                                        text="Fighting began.")
    start = cursor()
    services.briefing_update(author=editor, briefing=briefing, base_version=1, message="Ceasefire",
                             changes={"text": "Fighting began. A ceasefire holds."})
    [change] = story_entry(build_window(start, cursor()), story.slug)["changes"]
    assert (change["field"], change["label"]) == ("what_we_know", "What we know")
    assert change["after_text"] == "Fighting began. A ceasefire holds."
    assert {"op": "insert", "text": " A ceasefire holds."} in change["words"]


def test_a_new_what_we_know_is_reported_with_its_text(editor):
    story = make_story(author=editor)
    start = cursor()
    services.briefing_create(author=editor, story=story, message="Pinned", text="Fighting began.")
    [change] = story_entry(build_window(start, cursor()), story.slug)["changes"]
    assert (change["before"], change["after"]) == (None, "Fighting began.")


def test_several_edits_collapse_into_one_before_and_after(editor):
    development = make_development(author=editor, summary="Fighting began on Tuesday.")
    start = cursor()
    revise(development, editor, summary="Fighting began on Tuesday morning.")
    revise(development, editor, summary="Fighting began early on Tuesday morning.")
    story = story_entry(build_window(start, cursor()), development.story.slug)
    [changed] = story["changed_developments"]
    [change] = changed["changes"]
    assert change["before"] == "Fighting began on Tuesday."
    assert change["after"] == "Fighting began early on Tuesday morning."
    assert {"op": "insert", "text": "early "} in change["words"]
    assert (changed["from_version"], changed["to_version"]) == (1, 3)
    assert changed["diff_url"].endswith(f"/developments/{development.pk}/diff/?from=1&to=3")
    assert [r["message"] for r in changed["revisions"]] == ["Edit", "Edit"]


def test_corrections_are_flagged_and_come_first(editor):
    development = make_development(author=editor, location="Stepanakert")
    start = cursor()
    revise(development, editor, kind="correction", message="Wrong town", location="Khankendi")
    story = story_entry(build_window(start, cursor()), development.story.slug)
    assert list(story)[5] == "corrections"  # first section after the story's own fields
    [correction] = story["corrections"]
    assert correction["correction"] is True
    assert (correction["changes"][0]["before"], correction["changes"][0]["after"]) == (
        "Stepanakert", "Khankendi")
    assert not story["changed_developments"]


def test_a_retraction_is_reported_with_its_reason(editor):
    development = make_development(author=editor)
    start = cursor()
    services.development_retract(author=editor, development=development,
                                 base_version=development.version, reason="It did not happen")
    story = story_entry(build_window(start, cursor()), development.story.slug)
    [retraction] = story["retractions"]
    assert retraction["retraction_reason"] == "It did not happen"


def test_a_verification_change_shows_before_and_after(editor):
    claim = make_claim(author=editor)
    start = cursor()
    claim_services.claim_verify(author=editor, claim=claim, base_version=claim.version,
                                verification=Claim.Verification.DISPUTED, note="Denied",
                                message="Disputed")
    story = story_entry(build_window(start, cursor()), claim.development.story.slug)
    [change] = story["verification_changes"]
    assert (change["verification_before"], change["verification"]) == ("unverified", "disputed")
    field = {c["field"]: c for c in change["changes"]}["verification"]
    assert (field["before_text"], field["after_text"]) == ("Unverified", "Disputed")


def test_new_claims_name_their_actor(editor):
    development = make_development(author=editor)
    start = cursor()
    claim = make_claim(development, author=editor, paraphrase="It was a provocation.")
    story = story_entry(build_window(start, cursor()), development.story.slug)
    [new] = story["new_claims"]
    assert (new["paraphrase"], new["actor"]) == ("It was a provocation.", claim.actor.name)


def test_a_new_figure_links_to_its_chart(editor):
    development = make_development(author=editor)
    start = cursor()
    make_claim(development, author=editor, claim_type="figure", figure_unit="deaths",
               figure_group="civilians", figure_low=10, figure_qualifier=Claim.Qualifier.AT_LEAST)
    make_claim(development, author=editor, paraphrase="No number here.")
    story = story_entry(build_window(start, cursor()), development.story.slug)
    charts = {new["paraphrase"][:8]: new["chart_url"] for new in story["new_claims"]}
    figure_chart = [url for url in charts.values() if url]
    assert len(figure_chart) == 1
    assert figure_chart[0].endswith(f"/developments/{development.id}/figures/deaths-civilians/")
    assert None in charts.values()


def test_minor_edits_are_left_out_unless_asked_for(editor):
    development = make_development(author=editor, title="Talks in Yevlakh")
    start = cursor()
    revise(development, editor, minor=True, message="Typo", title="Talks in Yevlakh.")
    assert is_empty(build_window(start, cursor()))
    story = story_entry(build_window(start, cursor(), include_minor=True), development.story.slug)
    assert story["changed_developments"][0]["changes"][0]["after"] == "Talks in Yevlakh."


def test_an_edit_undone_inside_the_window_reports_nothing(editor):
    development = make_development(author=editor, location="Karabakh")
    start = cursor()
    revise(development, editor, location="Yevlakh")
    revise(development, editor, location="Karabakh")
    assert is_empty(build_window(start, cursor()))


def test_it_keeps_to_the_stories_and_kinds_asked_for(editor):
    followed, other = make_story(author=editor), make_story(author=editor)
    start = cursor()
    make_development(followed, author=editor, kind=Development.Kind.CEASEFIRE)
    make_development(followed, author=editor, kind=Development.Kind.STATEMENT)
    make_development(other, author=editor)
    content = build_window(start, cursor(), story_ids=[followed.pk], kinds=["ceasefire"])
    assert [s["slug"] for s in content["stories"]] == [followed.slug]
    assert [d["kind"] for d in content["stories"][0]["new_developments"]] == ["ceasefire"]


def test_a_window_is_built_once_for_subscriptions_with_the_same_filters(editor):
    story = make_story(author=editor)
    start = cursor()
    make_development(story, author=editor)
    subscriptions = [Subscription.objects.create(channel="email", email=f"{n}@example.org")
                     for n in range(3)]
    for subscription in subscriptions:
        subscription.stories.set([story])
    other = Subscription.objects.create(channel="email", email="x@example.org", include_minor=True)
    cache = WindowCache()
    contents = [cache.content_for(s, after=start, upto=cursor()) for s in [*subscriptions, other]]
    assert cache.builds == 2
    assert contents[0] is contents[1] is contents[2]


def _changed_in_a_window(story, count: int, editor) -> tuple[int, int]:
    """`count` developments, each with a claim, then a window in which every development
    gets three versions (new actors and sources each time) and every claim new sources."""
    items = []
    for _ in range(count):
        development = make_development(story, author=editor)
        items.append((development, make_claim(development, author=editor, sources=[make_source()])))
    start = cursor()
    for development, claim in items:
        edit_many_times(development, 3, author=editor)
        claim_services.claim_update(author=editor, claim=claim, base_version=claim.version,
                                    message="Better source", changes={"sources": [make_source()]})
    return start, cursor()


def test_a_window_takes_as_many_queries_with_20_changed_developments_as_with_2(editor):
    # 1-4: what the window's revisions wrote, per kind of item (story, development, what we
    # know, claim), 5: those revisions, 6-7: the claims at `upto` and their source sets, 8-9:
    # the same at `after`, 10-12: the developments at `upto` with their actor and source sets,
    # 13-15: the same at `after`, 16: the story at `upto`, 17: the actors named, 18: the
    # sources named, 19: the sources the window's capture revisions wrote (changed or gone
    # since cited).
    def queries(count: int) -> int:
        window = _changed_in_a_window(make_story(author=editor), count, editor)
        with CaptureQueriesContext(connection) as captured:
            content = build_window(*window)
        [story] = content["stories"]
        assert len(story["changed_developments"]) == len(story["changed_claims"]) == count
        return len(captured)

    assert queries(2) == queries(20) == 19

"""Reading stories, developments, claims, actors and sources through the API."""

import datetime as dt

from claims import services as claim_services
from claims.models import Claim
from events import services
from events.models import Development
from tests.factories import make_actor, make_claim, make_development, make_editor, make_story


def test_it_lists_stories_with_a_link_to_their_developments(api, demo_story):
    body = api.get("/api/stories/").json()
    assert [s["slug"] for s in body["results"]] == ["karabakh-2023"]
    assert body["results"][0]["developments"].endswith("/api/developments/?story=karabakh-2023")


def test_it_reads_a_story_by_slug(api, demo_story):
    body = api.get("/api/stories/karabakh-2023/").json()
    assert body["title"] == demo_story.title
    assert body["version"] == demo_story.version


def test_it_lists_a_storys_developments_in_timeline_order(api, demo_story):
    results = api.get("/api/developments/?story=karabakh-2023").json()["results"]
    assert len(results) == 8
    times = [r["occurred_at"] for r in results]
    assert times == sorted(times)


def test_it_filters_developments_by_kind_status_actor_and_occurred_range(api, db):
    story = make_story()
    actor = make_actor()
    early = make_development(story, kind="ceasefire", occurred_at=dt.datetime(2023, 9, 19, tzinfo=dt.UTC))
    late = make_development(story, kind="call", occurred_at=dt.datetime(2023, 9, 21, tzinfo=dt.UTC),
                            actors=[actor], status="confirmed")

    def ids(query):
        return [r["id"] for r in api.get(f"/api/developments/?{query}").json()["results"]]

    assert ids(f"story={story.slug}&kind=ceasefire") == [early.id]
    assert ids(f"story={story.slug}&status=confirmed") == [late.id]
    assert ids(f"actor={actor.id}") == [late.id]
    assert ids(f"story={story.slug}&occurred_after=2023-09-20T00:00:00Z") == [late.id]
    assert ids(f"story={story.slug}&occurred_before=2023-09-20T00:00:00Z") == [early.id]


def test_a_bad_filter_value_is_a_field_error(api, db):
    response = api.get("/api/developments/?kind=picnic&occurred_after=yesterday")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "occurred_after"}


def test_it_filters_claims_by_development_story_actor_verification_and_type(api, db):
    development = make_development()
    other = make_development()
    actor = make_actor()
    figure = make_claim(development, actor=actor, claim_type="figure", figure_low=200,
                        figure_qualifier="at_least", figure_unit="deaths")
    disputed = make_claim(development, verification="disputed")
    elsewhere = make_claim(other)

    def ids(query):
        return sorted(r["id"] for r in api.get(f"/api/claims/?{query}").json()["results"])

    assert ids(f"development={development.id}") == sorted([figure.id, disputed.id])
    assert ids(f"story={other.story.slug}") == [elsewhere.id]
    assert ids(f"actor={actor.id}") == [figure.id]
    assert ids(f"development={development.id}&verification=disputed") == [disputed.id]
    assert ids(f"development={development.id}&type=figure") == [figure.id]


def test_a_claim_shows_its_figure_in_words(api, db):
    claim = make_claim(claim_type="figure", figure_low=200, figure_qualifier="at_least",
                       figure_unit="deaths")
    assert api.get(f"/api/claims/{claim.id}/").json()["figure"] == "at least 200 deaths"


def test_it_lists_actors_and_sources(api, demo_story):
    actors = api.get("/api/actors/").json()
    sources = api.get("/api/sources/").json()
    assert actors["count"] > 0 and {"name", "kind", "role", "version"} <= set(actors["results"][0])
    assert sources["count"] > 0 and {"outlet", "title", "url"} <= set(sources["results"][0])


def test_an_unknown_item_is_404(api, db):
    assert api.get("/api/developments/999999/").status_code == 404
    assert api.get("/api/claims/99999999999999999999999/").status_code == 404


def test_versions_list_every_version_with_its_revision(api, db):
    editor = make_editor()
    development = make_development(title="Shelling reported")
    services.development_update(author=editor, development=development, base_version=1,
                                message="Town named", changes={"title": "Shelling of Stepanakert"},
                                kind="correction")
    results = api.get(f"/api/developments/{development.id}/versions/").json()["results"]
    assert [(v["version"], v["title"], v["revision"]["kind"]) for v in results] == [
        (1, "Shelling reported", "created"), (2, "Shelling of Stepanakert", "correction"),
    ]
    assert results[1]["revision"]["message"] == "Town named"


def test_diff_uses_the_shared_diff_format(api, db):
    editor = make_editor()
    development = make_development(title="Shelling reported")
    services.development_update(author=editor, development=development, base_version=1,
                                message="Town named", changes={"title": "Shelling of Stepanakert"})
    body = api.get(f"/api/developments/{development.id}/diff/?from=1&to=2").json()
    assert body["from_version"] == 1 and body["to_version"] == 2
    [change] = body["changes"]
    assert change["field"] == "title"
    assert (change["before"], change["after"]) == ("Shelling reported", "Shelling of Stepanakert")
    assert {"op": "insert", "text": "of Stepanakert"} in change["words"]


def test_diff_defaults_to_the_latest_change(api, db):
    claim = make_claim(paraphrase="Ten dead")
    claim_services.claim_update(author=make_editor(), claim=claim, base_version=1, message="Fix",
                                 changes={"paraphrase": "Twelve dead"})
    body = api.get(f"/api/claims/{claim.id}/diff/").json()
    assert (body["from_version"], body["to_version"]) == (1, 2)
    assert body["changes"][0]["after"] == "Twelve dead"


def test_diff_of_a_missing_version_is_a_field_error(api, db):
    development = make_development()
    response = api.get(f"/api/developments/{development.id}/diff/?from=1&to=7")
    assert response.status_code == 400
    assert "to" in response.json()
    assert api.get(f"/api/developments/{development.id}/diff/?from=x").status_code == 400


def test_as_of_shows_what_was_known_then(api, demo_story):
    now = {r["id"]: r for r in api.get("/api/developments/?story=karabakh-2023").json()["results"]}
    then = api.get("/api/developments/?story=karabakh-2023&as_of=2023-09-19T12:00:00Z").json()["results"]
    assert 0 < len(then) < len(now)
    corrected = Development.history.model.objects.filter(revision__kind="correction").first()
    before = api.get(f"/api/developments/{corrected.id}/", {"as_of": _before(corrected)}).json()
    assert before["version"] == corrected.version - 1
    assert api.get(f"/api/developments/{corrected.id}/").json()["version"] == now[corrected.id]["version"]


def test_as_of_before_anything_was_known_is_empty(api, demo_story):
    assert api.get("/api/developments/?as_of=2000-01-01T00:00:00Z").json()["results"] == []
    assert api.get("/api/stories/karabakh-2023/?as_of=2000-01-01T00:00:00Z").status_code == 404


def test_a_story_read_as_of_links_to_developments_as_of_the_same_moment(api, demo_story):
    body = api.get("/api/stories/karabakh-2023/?as_of=2023-09-20T00:00:00Z").json()
    assert "as_of=2023-09-20T00%3A00%3A00Z" in body["developments"]


def test_an_invalid_as_of_is_a_400_with_the_field(api, demo_story):
    for value in ["yesterday", "2023-13-45T00:00:00Z", "\x00"]:
        response = api.get("/api/developments/", {"as_of": value})
        assert response.status_code == 400, value
        assert "as_of" in response.json()
    assert api.get("/api/stories/karabakh-2023/", {"as_of": "soon"}).status_code == 400


def test_claims_never_show_a_retracted_claim_as_current(api, db):
    claim = make_claim()
    claim_services.claim_retract(
        author=make_editor(), claim=claim, base_version=1, reason="Misattributed"
    )
    body = api.get(f"/api/claims/{claim.id}/").json()
    assert body["retracted"] is True and body["retraction_reason"] == "Misattributed"
    assert Claim.objects.get(pk=claim.pk).version == body["version"] == 2


def _before(history_row) -> str:
    return (history_row.revision.created_at - dt.timedelta(seconds=1)).isoformat()

"""The TimelineJS export of a story."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_exports_developments_in_timelinejs_format(client, demo_story):
    response = client.get("/stories/karabakh-2023/timeline.json")
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["title"]["text"]["headline"] == demo_story.title
    headlines = [event["text"]["headline"] for event in data["events"]]
    assert "Azerbaijani officials and Karabakh Armenian leaders meet in Yevlakh" in headlines


def test_it_keeps_date_precision(client, demo_story):
    data = client.get("/stories/karabakh-2023/timeline.json").json()
    events = {event["text"]["headline"]: event for event in data["events"]}
    assert events["Aliyev says Karabakh belongs to Azerbaijan"]["start_date"] == {
        "year": 2023, "month": 9, "day": 20, "hour": 18}
    assert events["Russia brokers a ceasefire between Azerbaijan and Karabakh separatists"]["start_date"] == {
        "year": 2023, "month": 9, "day": 20}


def test_it_is_404_for_an_unknown_story(client, db):
    assert client.get("/stories/unknown/timeline.json").status_code == 404


def test_a_cached_export_keeps_its_cross_origin_header(client, demo_story):
    first = client.get("/stories/karabakh-2023/timeline.json")
    again = client.get("/stories/karabakh-2023/timeline.json")
    assert first["Access-Control-Allow-Origin"] == again["Access-Control-Allow-Origin"] == "*"
    assert again["Content-Type"] == "application/json"
    assert again.content == first.content

"""The one conditional GET (reader.conditional): preconditions in RFC 9110 §13.2.2 order, before the body."""

import datetime as dt

from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.http import http_date

from reader.conditional import conditional_get

ETAG = '"story-r7"'
WEAK = 'W/"page-r7"'
CHANGED = dt.datetime(2023, 9, 20, 12, 0, tzinfo=dt.UTC)
BEFORE, AFTER = http_date(CHANGED.timestamp() - 60), http_date(CHANGED.timestamp() + 60)


class Body:
    """A build that counts how often it runs."""

    def __init__(self) -> None:
        self.built = 0

    def __call__(self) -> HttpResponse:
        self.built += 1
        return HttpResponse("the feed")


def get(body: Body, *, etag=ETAG, last_modified=CHANGED, **headers) -> HttpResponse:
    request = RequestFactory().get("/", headers=headers)
    return conditional_get(request, body, etag=etag, last_modified=last_modified)


def test_a_plain_get_is_built_and_carries_its_validators():
    body = Body()
    response = get(body)
    assert (response.status_code, body.built) == (200, 1)
    assert response["ETag"] == ETAG and response["Last-Modified"] == http_date(CHANGED.timestamp())


def test_a_matching_if_none_match_is_a_304_without_building_the_body():
    body = Body()
    response = get(body, **{"If-None-Match": f'"other", {ETAG}'})
    assert (response.status_code, body.built, response["ETag"]) == (304, 0, ETAG)


def test_if_none_match_compares_weakly():
    assert get(Body(), etag=WEAK, **{"If-None-Match": '"page-r7"'}).status_code == 304


def test_if_none_match_star_matches_a_current_representation():
    assert get(Body(), **{"If-None-Match": "*"}).status_code == 304


def test_an_etag_decides_over_a_date_when_both_are_sent():
    # RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is present.
    response = get(Body(), **{"If-None-Match": '"story-r6"', "If-Modified-Since": AFTER})
    assert response.status_code == 200


def test_if_modified_since_alone_is_a_304_when_nothing_changed_since():
    assert get(Body(), **{"If-Modified-Since": AFTER}).status_code == 304
    assert get(Body(), **{"If-Modified-Since": BEFORE}).status_code == 200


def test_a_date_precondition_is_ignored_without_a_last_modified():
    assert get(Body(), last_modified=None, **{"If-Modified-Since": AFTER}).status_code == 200
    assert get(Body(), last_modified=None, **{"If-Unmodified-Since": BEFORE}).status_code == 200


def test_a_failed_if_match_is_a_412_without_building_the_body():
    body = Body()
    response = get(body, **{"If-Match": '"story-r6"'})
    assert (response.status_code, body.built) == (412, 0)


def test_if_match_compares_strongly():
    assert get(Body(), **{"If-Match": ETAG}).status_code == 200
    assert get(Body(), etag=WEAK, **{"If-Match": WEAK}).status_code == 412


def test_if_unmodified_since_fails_when_the_resource_changed_after_it():
    assert get(Body(), **{"If-Unmodified-Since": BEFORE}).status_code == 412
    assert get(Body(), **{"If-Unmodified-Since": AFTER}).status_code == 200


def test_an_error_the_view_builds_carries_no_validators():
    response = get(lambda: HttpResponse(status=404))
    assert response.status_code == 404 and "ETag" not in response and "Last-Modified" not in response


def test_the_surface_chooses_its_304():
    request = RequestFactory().get("/", headers={"If-None-Match": ETAG})
    response = conditional_get(request, Body(), etag=ETAG, not_modified=lambda: HttpResponse(status=304))
    assert type(response) is HttpResponse and response["ETag"] == ETAG

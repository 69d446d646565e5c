"""One date style in the desk: lists in the house style, inputs that take ISO and the house style."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.dates import HouseDateField, HouseSplitDateTimeField
from tests.desk.forms import form_data
from tests.factories import make_claim, make_development

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.mark.parametrize("typed", ["2023-09-21", "21 Sept 2023", "21 Sep 2023", "21 September 2023",
                                   "21 sept 2023", "21/09/2023"])
def test_a_date_input_takes_iso_and_the_house_style(typed):
    assert HouseDateField().clean(typed) == dt.date(2023, 9, 21)


@pytest.mark.parametrize("typed", [["2023-09-21", "16:00"], ["21 Sept 2023", "16:00 UTC"],
                                   ["21 Sept 2023,", "16:00:00"]])
def test_a_moment_input_takes_iso_and_the_house_style_in_utc(typed, settings):
    moment = HouseSplitDateTimeField().clean(typed)
    assert moment == dt.datetime(2023, 9, 21, 16, 0, tzinfo=dt.UTC)


def test_a_date_the_desk_cannot_read_is_a_form_error_not_a_500():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        HouseDateField().clean("the 21st")


def test_the_development_form_shows_its_moment_in_iso(desk):
    development = make_development(occurred_at=dt.datetime(2023, 9, 21, 16, 0, tzinfo=dt.UTC))
    page = desk.get(f"/admin/events/development/{development.pk}/change/").content.decode()
    assert 'value="2023-09-21"' in page and 'value="16:00"' in page


def test_a_development_saved_with_a_house_style_date_keeps_that_moment(desk):
    development = make_development()
    url = f"/admin/events/development/{development.pk}/change/"
    data = form_data(desk.get(url), occurred_at_0="21 Sept 2023", occurred_at_1="16:00 UTC",
                     change_message="Time confirmed")
    assert desk.post(url, data).status_code == 302
    development.refresh_from_db()
    assert development.occurred_at == dt.datetime(2023, 9, 21, 16, 0, tzinfo=dt.UTC)


def test_lists_show_dates_in_the_house_style(desk):
    make_claim(made_on=dt.date(2023, 9, 21))
    assert "21 Sept 2023" in desk.get("/admin/claims/claim/").content.decode()
    revisions = desk.get("/admin/record/revision/").content.decode()
    assert " UTC" in revisions


def test_a_moment_without_a_time_is_the_start_of_its_day():
    assert HouseSplitDateTimeField().clean(["21 Sept 2023", ""]) == dt.datetime(2023, 9, 21, tzinfo=dt.UTC)


def test_a_moment_without_a_date_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        HouseSplitDateTimeField().clean(["", "16:00"])

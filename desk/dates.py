"""Dates an editor types in the desk: ISO ("2023-09-21", "16:00") or the house style ("21 Sept 2023").

Inputs show ISO, which every browser and editor reads one way; they also take
what the pages show ("21 Sept 2023", "21 September 2023", "16:00 UTC"), so a
date copied from a page or a report can be pasted as it is. Times are UTC.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.db import models

ISO_DATE, ISO_TIME = "%Y-%m-%d", "%H:%M"
DATE_FORMATS = [ISO_DATE, "%d %b %Y", "%d %B %Y", "%d/%m/%Y"]
TIME_FORMATS = [ISO_TIME, "%H:%M:%S", "%H.%M"]


def _plain_date(value):
    # The house style writes "Sept"; strptime's %b knows only "Sep".
    if isinstance(value, str):
        value = re.sub(r"\bsept\b\.?", "Sep", value.strip().rstrip(","), flags=re.IGNORECASE)
    return value


def _plain_time(value):
    if isinstance(value, str):
        value = re.sub(r"\s*(UTC|GMT|Z)$", "", value.strip(), flags=re.IGNORECASE)
    return value


class HouseDateField(forms.DateField):
    input_formats = DATE_FORMATS

    def to_python(self, value):
        return super().to_python(_plain_date(value))


class HouseTimeField(forms.TimeField):
    input_formats = TIME_FORMATS

    def to_python(self, value):
        return super().to_python(_plain_time(value))


class HouseSplitDateTimeField(forms.SplitDateTimeField):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date, time = self.fields
        # The time may be left out (a day, week or month is known, not the hour): it is then 00:00 UTC.
        self.require_all_fields = False
        self.fields = (HouseDateField(error_messages=date.error_messages, required=date.required),
                       HouseTimeField(error_messages=time.error_messages, required=False))

    def compress(self, data_list):
        if data_list and data_list[0] and not data_list[1]:
            data_list = [data_list[0], dt.time(0, 0)]
        return super().compress(data_list)


class HouseSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, shown in ISO (24-hour)."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.widgets[0].format, self.widgets[1].format = ISO_DATE, ISO_TIME
        # The field's label names the pair; each box says which half it is.
        self.widgets[0].attrs["aria-label"] = "Date (2023-09-21 or 21 Sept 2023)"
        self.widgets[1].attrs["aria-label"] = "Time, 24-hour UTC (optional)"


def house_date_overrides() -> dict:
    """formfield_overrides for a desk admin: its date and date-time inputs take ISO and the house style."""
    return {
        models.DateField: {"form_class": HouseDateField, "widget": AdminDateWidget(format=ISO_DATE)},
        models.DateTimeField: {"form_class": HouseSplitDateTimeField, "widget": HouseSplitDateTime},
    }

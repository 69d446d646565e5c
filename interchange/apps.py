"""App config of data in and out (ACLED, GeoJSON)."""

from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "interchange"
    verbose_name = "Data in and out"

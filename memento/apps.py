"""App config of Memento time travel (RFC 7089)."""

from django.apps import AppConfig


class MementoConfig(AppConfig):
    name = "memento"
    verbose_name = "Memento time travel (RFC 7089)"

"""Settings for the load measures: the product's settings plus a minimal floor view."""

from tracker.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

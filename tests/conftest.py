"""Fixtures shared by every test package."""

import pytest

from tests.browser import browser  # noqa: F401 (registers the fixture for every package)
from tests.factories import make_editor, make_user


@pytest.fixture(autouse=True, scope="session")
def log_signing_key():
    """Every test run signs the log with a key of its own (production reads LOG_SIGNING_KEY)."""
    from django.conf import settings

    from record.checkpoints import generate_key

    key = generate_key("tracker.test/log")
    settings.LOG_SIGNING_KEY = key.signer()
    return key


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def reader(db):
    return make_user()


@pytest.fixture
def demo_story(db):
    from demo.story import load_demo

    story, _ = load_demo()
    return story

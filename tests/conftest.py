"""Fixtures shared by every test package."""

import pytest

from tests.browser import browser  # noqa: F401 (registers the fixture for every package)
from tests.factories import make_editor, make_user


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

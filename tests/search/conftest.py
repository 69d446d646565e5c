"""Search tests write through the services and let each revision commit, so its receiver indexes it."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what follows each revision's commit, as production does."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


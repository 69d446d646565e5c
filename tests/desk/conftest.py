"""Fixtures for desk tests: a logged-in editor."""

from __future__ import annotations

import pytest


@pytest.fixture
def desk(client, editor):
    client.force_login(editor)
    client.user = editor
    return client

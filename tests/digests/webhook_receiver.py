"""Pytest plugin with the `receiver` fixture: a real HTTP receiver for webhook tests.

Test modules load it with `pytest_plugins = ["tests.digests.webhook_receiver"]`
and must not import this module themselves (pytest would warn that it cannot
rewrite its asserts).
"""

import pytest

from tests.digests.webhook_support import Receiver


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1, with private targets allowed as only tests and demos do."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with Receiver() as running:
        yield running

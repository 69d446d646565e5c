"""Fixtures for archive tests: a loopback origin, private targets allowed, captures on citation."""

import pytest

from tests.archive.origin import Origin


@pytest.fixture
def origin(settings):
    settings.OUTBOUND_ALLOW_PRIVATE_TARGETS = True
    settings.ARCHIVE_CAPTURE_ON_CITE = True
    settings.OUTBOUND_TIMEOUT_SECONDS = 2
    with Origin() as site:
        yield site


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`committed(fn, ...)`: call fn and run what it queued for after commit (the capture task)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run


@pytest.fixture
def cite(committed):
    """A new source with a URL, captured as on citation: `cite(url, **fields)`."""
    from tests.factories import make_source

    return lambda url, **fields: committed(make_source, url=url, **fields)

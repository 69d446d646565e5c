"""End to end on a real Celery worker (Redis): citing a source queues its capture, which the worker makes."""

import pytest

from archive.models import Capture
from events.models import Source
from tests.archive.origin import article
from tests.factories import make_source
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_new_source_is_captured_by_the_worker_after_the_editor_saved(celery_redis_worker, origin):
    origin.serve("/report", article("Talks in Yevlakh."))
    source = make_source(url=origin.url("/report"))
    # The editor's save is committed before any fetch: the source exists, not yet archived.
    assert Source.objects.get(pk=source.pk).version >= 1
    capture = wait_for(lambda: Capture.objects.filter(source=source).first(), timeout=30)
    assert capture.outcome == Capture.Outcome.CAPTURED
    archived = wait_for(lambda: Source.objects.filter(pk=source.pk, archived_at__isnull=False).first())
    assert archived.archive_sha256 == capture.sha256

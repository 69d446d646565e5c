"""Two real Celery worker processes run the scheduled-drafts job at once: each due draft is published once."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)
from django.utils import timezone

from drafts import services
from drafts.models import Draft, DraftEvent, DraftRevision
from drafts.tasks import publish_due_drafts
from tests.broker import celery_broker, redis_url
from tests.factories import make_development, make_editor
from tests.reliability.fault_support import Broker, WorkerProcess, wait_until_idle
from tests.waiting import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="worker processes need PostgreSQL"),
]


def _due_drafts(editor, count: int) -> list[Draft]:
    drafts = []
    for n in range(count):
        development = make_development(author=editor)
        draft = services.draft_create(author=editor, item_type="events.development",
                                      item=development, message=f"Tighter {n}",
                                      values={"summary": f"Shorter {n}"})
        drafts.append(services.draft_schedule(draft=draft, user=editor,
                                              publish_at=timezone.now() + dt.timedelta(seconds=60)))
    # Due now (scheduling in the past is refused, so the clock is moved for them).
    Draft.objects.filter(pk__in=[d.pk for d in drafts]).update(
        publish_at=timezone.now() - dt.timedelta(seconds=1))
    return drafts


@pytest.fixture
def two_workers():
    broker = Broker()
    broker.flush()
    workers = [WorkerProcess().start(), WorkerProcess().start()]
    yield broker, workers
    for worker in workers:
        worker.stop()


def test_two_workers_running_the_job_at_once_publish_each_due_draft_once(two_workers, settings):
    broker, workers = two_workers
    editor = make_editor()
    drafts = _due_drafts(editor, 12)
    with celery_broker(redis_url(), settings):
        for _ in range(6):  # the beat's job, and retries of it, queued together
            publish_due_drafts.delay()
    wait_until_idle(broker, timeout=60)
    wait_for(lambda: not Draft.objects.exclude(state="published").exists(), timeout=30)
    ids = [draft.pk for draft in drafts]
    assert DraftRevision.objects.count() == 12
    assert DraftEvent.objects.filter(draft_id__in=ids, action="published").count() == 12
    for worker in workers:  # both took part, and neither failed
        assert b"publish_due_drafts" in worker.output() and b"Traceback" not in worker.output()

"""Background jobs of the record: a signed checkpoint whenever the log has grown, cosigned by witnesses."""

from celery import shared_task

from .checkpoints import publish_checkpoint as _publish
from .witnesses import request_cosignatures


@shared_task(name="publiclog.tasks.publish_checkpoint")
def publish_checkpoint() -> int | None:
    """Sign the tree if it grew since the last checkpoint (beat: every LOG_CHECKPOINT_SECONDS),
    then ask the witnesses that have not cosigned the latest checkpoint yet (none: no request)."""
    checkpoint = _publish()
    if checkpoint is not None:
        request_cosignatures(checkpoint)
    return checkpoint.size if checkpoint else None

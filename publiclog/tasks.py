"""Background jobs of the public log: a signed checkpoint whenever it has grown, cosigned by
witnesses; full tiles stored."""

from celery import shared_task

from .checkpoints import publish_checkpoint as _publish
from .tiles import store_full_tiles
from .witnesses import request_cosignatures


@shared_task(name="publiclog.tasks.publish_checkpoint")
def publish_checkpoint() -> int | None:
    """Sign the tree if it grew since the last checkpoint (beat: every LOG_CHECKPOINT_SECONDS),
    then ask the witnesses that have not cosigned the latest checkpoint yet (none: no request)."""
    checkpoint = _publish()
    if checkpoint is not None:
        request_cosignatures(checkpoint)
    return checkpoint.size if checkpoint else None


@shared_task(name="publiclog.tasks.store_tiles", ignore_result=True)
def store_tiles(size: int) -> int:
    """Store the full tiles of the first `size` leaves that are not stored yet (idempotent)."""
    return store_full_tiles(size)

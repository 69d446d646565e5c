"""Background jobs of the record: a signed checkpoint whenever the log has grown."""

from celery import shared_task

from .checkpoints import publish_checkpoint as _publish


@shared_task(name="publiclog.tasks.publish_checkpoint")
def publish_checkpoint() -> int | None:
    """Sign the tree if it grew since the last checkpoint (beat: every LOG_CHECKPOINT_SECONDS)."""
    checkpoint = _publish()
    return checkpoint.size if checkpoint else None

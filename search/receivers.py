"""After a revision commits: index the versions it wrote (the index's one receiver)."""

from django.dispatch import receiver

from record.signals import RevisionSummary, revision_committed

from .index import index_summary


@receiver(revision_committed, dispatch_uid="search.revision_committed")
def on_revision_committed(sender, summary: RevisionSummary, **kwargs) -> None:
    # In this process, right after commit: the summary carries every field the index needs.
    # A failure is logged by send_robust; `rebuild_search_index` reports and repairs the drift.
    index_summary(summary)

"""The search index: one entry per version of a searchable item, with when it was said and until when.

The index is derived, never the truth: `rebuild_search_index` rebuilds it from
the versions. Full text lives beside these rows, per engine (search/engines.py):
a `document` tsvector column with a GIN index on PostgreSQL, an FTS5 table on SQLite.
"""

from django.db import models


class Entry(models.Model):
    """One version of one item: its text, its facets, and the revisions that began and ended it."""

    class Type(models.TextChoices):
        STORY = "story", "Story"
        BRIEFING = "briefing", "What we know"
        DEVELOPMENT = "development", "Development"
        CLAIM = "claim", "Claim"
        ACTOR = "actor", "Actor"
        SOURCE = "source", "Source"

    type = models.CharField(max_length=16, choices=Type.choices)
    item_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    # When the record first said this version: the revision that wrote it.
    revision_id = models.BigIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=150)
    revision_kind = models.CharField(max_length=16)
    # When it stopped saying it: the next version of the item (None: the current record says it).
    until_version = models.PositiveIntegerField(null=True)
    until_revision_id = models.BigIntegerField(null=True)
    until_at = models.DateTimeField(null=True)

    # What is searched: the title (weighted first), the body, and words in another language.
    title = models.TextField()
    body = models.TextField(blank=True)
    original = models.TextField(blank=True)
    original_config = models.CharField(max_length=16, default="simple")

    # Where it sits and its facets (blank or null where the item type has none).
    story_id = models.BigIntegerField(null=True)
    development_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=24, blank=True)
    status = models.CharField(max_length=16, blank=True)
    verification = models.CharField(max_length=16, blank=True)
    key_event = models.BooleanField(default=False)
    occurred_from = models.DateTimeField(null=True)
    occurred_until = models.DateTimeField(null=True)
    country = models.CharField(max_length=2, blank=True)
    admin1 = models.CharField(max_length=120, blank=True)

    class Meta:
        db_table = "search_entry"  # named in the engines' SQL (search/engines.py)
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["type", "item_id", "version"],
                                               name="search_entry_one_per_version")]
        indexes = [
            models.Index(fields=["type", "item_id", "until_version"], name="search_entry_item"),
            models.Index(fields=["until_revision_id", "revision_id"], name="search_entry_span"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.item_id} v{self.version}"


class EntryActor(models.Model):
    """An actor an entry names (a development's actors, a claim's actor): the actor facet."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="actors")
    actor_id = models.BigIntegerField()

    class Meta:
        db_table = "search_entry_actor"
        indexes = [models.Index(fields=["actor_id", "entry"], name="search_actor_entry")]

    def __str__(self) -> str:
        return f"actor {self.actor_id} in entry {self.entry_id}"

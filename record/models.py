"""The revision log: revisions, and the base classes every versioned item is built on."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .validators import control_character_errors


class Revision(models.Model):
    """One editor action: every version row written by it points here.

    Ids are the change-feed cursor; `record.versioning.revision()` serialises
    revision creation so that id order is commit order.
    """

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATE = "update", "Update"
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        RETRACTION = "retraction", "Retraction"
        RESTORE = "restore", "Restore"
        CAPTURE = "capture", "Capture"  # the archive's note on a cited source (by a system user)

    # What an editor may call an edit; retraction and restore have their own services.
    EDIT_KINDS = (Kind.UPDATE, Kind.CORRECTION, Kind.CLARIFICATION)

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    message = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    minor = models.BooleanField(
        default=False, help_text="Cosmetic edit (typo, formatting): left out of 'what changed'."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(message=""), name="revision_message_required"),
        ]

    def __str__(self) -> str:
        return f"r{self.id} {self.get_kind_display()}: {self.message[:60]}"


class RevisionedVersion(models.Model):
    """Base of every history row: the revision that wrote it."""

    revision = models.ForeignKey(
        "record.Revision", on_delete=models.PROTECT, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A current-state row whose every save is a version in the revision log.

    Subclassing it is what puts a model in the registry (`record.registry`):
    the append-only triggers, the change feed, the log, the API's version
    endpoints and the editors' permissions all find it there.
    """

    version = models.PositiveIntegerField(default=0, editable=False)

    # The foreign key naming the item this one belongs to (a claim's development,
    # a development's story), or None for an item that belongs to none. The
    # summary of a committed revision walks it (record.signals.WrittenItem.parents).
    belongs_to: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        """Django's field validation, and no control character in any text field.

        One check here rather than a validator on each field: every versioned
        model gets it, a new text field cannot be forgotten, and every writer
        (desk, API, log import, demo) reaches it through `save_version`.
        """
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        skip = {*(exclude or ()), *errors}
        errors.update(control_character_errors(self, exclude=skip))
        if errors:
            raise ValidationError(errors)


class RevisionLink(models.Model):
    """Base of a domain's note on a revision (e.g. which story it belongs to).

    Written once, in the revision's own transaction, and append-only like the
    revision itself; the log exports and replays every link with its revision.
    """

    revision = models.OneToOneField(
        "record.Revision", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )

    class Meta:
        abstract = True

    @classmethod
    def log_queryset(cls):
        """The links as the log reads them (with what `log_values` needs selected)."""
        return cls.objects.all()

    @classmethod
    def log_values(cls, link) -> dict:
        """What a revision's line in the log says of this link (`link` may be None)."""
        raise NotImplementedError

    @classmethod
    def replay(cls, revision: Revision, line: dict) -> None:
        """Write this link back for `revision` from its log line, if the line has one."""
        raise NotImplementedError


def versioned_history(**kwargs) -> HistoricalRecords:
    return HistoricalRecords(
        bases=[RevisionedVersion], m2m_bases=[models.Model], excluded_fields=[], **kwargs
    )


class LogLeaf(models.Model):
    """A revision's place in the public transparency log (see record.tree).

    `index` is dense (0, 1, 2, ...) even where revision ids have gaps; `data` is
    the revision's full line (record.leaves), `entry` the log entry that commits
    to it (record.leaves.entry_for: the revision id and the line's SHA-256,
    small enough for a C2SP entry bundle), `hash` the entry's RFC 9162 leaf
    hash. Written in the revision's own transaction; append-only.
    """

    index = models.BigIntegerField(primary_key=True)
    revision = models.OneToOneField(Revision, on_delete=models.PROTECT, related_name="log_leaf")
    data = models.BinaryField()
    entry = models.BinaryField(default=b"")
    hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ["index"]

    def __str__(self) -> str:
        return f"leaf {self.index} (r{self.revision_id})"


class LogNode(models.Model):
    """The hash of one perfect subtree of the log: `key` = level << 40 | index (record.tree)."""

    key = models.BigIntegerField(primary_key=True)
    hash = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"node {self.key >> 40}/{self.key & ((1 << 40) - 1)}"


class LogTile(models.Model):
    """A full C2SP tile or entry bundle, stored once when it fills (publiclog.tiles); append-only.

    `path` is its path under the log's prefix (`tile/0/x001/234`,
    `tile/entries/067`), `data` its exact bytes (8,192 for a hash tile).
    """

    path = models.CharField(max_length=64, primary_key=True)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.path


class LogCheckpoint(models.Model):
    """A signed checkpoint (C2SP tlog-checkpoint as a signed note); every one is kept."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField(max_length=32)
    note = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint at {self.size} leaves"

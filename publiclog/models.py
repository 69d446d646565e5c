"""What the public log keeps beside the record's tree: the witnesses' cosignatures on its checkpoints.

The checkpoints themselves belong to the record core (record.LogCheckpoint);
a cosignature is the word of an outside witness about one of them, received
after the checkpoint was signed, so it lives here, with the code that asks.
"""

from django.db import models


class Cosignature(models.Model):
    """A witness's C2SP cosignature/v1 line on one checkpoint, verified before it was stored."""

    checkpoint = models.ForeignKey("record.LogCheckpoint", on_delete=models.PROTECT,
                                   related_name="cosignatures")
    witness = models.CharField(max_length=200, help_text="The witness's key name (a schema-less URL).")
    witness_key = models.CharField(max_length=400, help_text="The witness's verifier key.")
    line = models.TextField(help_text="The note signature line, as the witness sent it.")
    cosigned_at = models.DateTimeField(help_text="The time inside the cosignature (the witness's clock).")
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["checkpoint_id", "witness"]
        # Witness first: it also serves "the last checkpoint this witness cosigned" (witnesses.py).
        constraints = [models.UniqueConstraint(fields=["witness_key", "checkpoint"],
                                               name="one_cosignature_per_witness_per_checkpoint")]

    def __str__(self) -> str:
        return f"{self.witness} on checkpoint {self.checkpoint_id}"

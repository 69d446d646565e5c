"""`manage.py publish_checkpoint`: sign the log as it stands now and ask the witnesses to cosign it."""

from django.core.management.base import BaseCommand

from publiclog.checkpoints import publish_checkpoint, signing_key
from publiclog.witnesses import request_cosignatures


class Command(BaseCommand):
    help = ("Sign a checkpoint of the log now, unless its current size is signed already; then ask "
            "the witnesses in LOG_WITNESSES that have not cosigned it yet.")

    def handle(self, *args, **options):
        checkpoint = publish_checkpoint()
        self.stdout.write(f"Checkpoint at {checkpoint.size} leaves." if checkpoint else "The log is empty.")
        self.stdout.write(f"Verifier key: {signing_key().verifier()}")
        for asked in request_cosignatures(checkpoint) if checkpoint else []:
            self.stdout.write(f"Witness {asked.witness}: {asked.outcome}"
                              + (f" ({asked.detail})" if asked.detail else ""))

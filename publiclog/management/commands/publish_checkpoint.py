"""`manage.py publish_checkpoint`: sign the log as it stands now (beat does it every half minute)."""

from django.core.management.base import BaseCommand

from publiclog.checkpoints import publish_checkpoint, signing_key


class Command(BaseCommand):
    help = "Sign a checkpoint of the log now, unless its current size is signed already."

    def handle(self, *args, **options):
        checkpoint = publish_checkpoint()
        self.stdout.write(f"Checkpoint at {checkpoint.size} leaves." if checkpoint else "The log is empty.")
        self.stdout.write(f"Verifier key: {signing_key().verifier()}")

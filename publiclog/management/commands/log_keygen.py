"""`manage.py log_keygen NAME`: a new Ed25519 key for signing the log's checkpoints."""

from django.core.management.base import BaseCommand, CommandError

from publiclog.checkpoints import generate_key


class Command(BaseCommand):
    help = ("Print a new signing key (for LOG_SIGNING_KEY or LOG_SIGNING_KEY_FILE) on standard "
            "output and its public verifier key on standard error. NAME is the log's origin, "
            "e.g. news.example/tracker.")

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        try:
            key = generate_key(name)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(key.signer())
        self.stderr.write(f"Verifier key: {key.verifier()}")

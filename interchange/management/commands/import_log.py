"""`manage.py import_log PATH`: replay an exported revision log into an empty database."""

from django.core.management.base import BaseCommand, CommandError

from interchange.logfile import LogError, import_log


class Command(BaseCommand):
    help = "Replay a revision log (from export_log) into an empty database, keeping every id."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON Lines file written by export_log.")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8", newline="\n") as stream:
                count = import_log(stream)
        except (OSError, UnicodeDecodeError, LogError) as error:
            raise CommandError(f"Nothing imported: {error}") from error
        self.stdout.write(f"Imported {count} revisions from {path}.")

"""`manage.py export_log [PATH]`: write the revision log as JSON Lines (standard output by default)."""

import sys

from django.core.management.base import BaseCommand

from interchange.logfile import export_log


class Command(BaseCommand):
    help = "Write every revision with the versions it wrote as JSON Lines (to standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="File to write; '-' or nothing: standard output.")

    def handle(self, *args, path=None, **options):
        if path and path != "-":
            with open(path, "w", encoding="utf-8", newline="\n") as stream:
                count = export_log(stream)
            self.stderr.write(f"Exported {count} revisions to {path}.")
            return
        stream = self.stdout._out
        if stream is sys.stdout:
            # The log is UTF-8 whatever the terminal's locale says.
            stream.reconfigure(encoding="utf-8", newline="\n")
        export_log(stream)

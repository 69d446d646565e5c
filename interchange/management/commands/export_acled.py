"""manage.py export_acled --story SLUG [--output FILE]: a story's developments in ACLED's column layout."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import Story
from interchange.export import write_acled


class Command(BaseCommand):
    help = "Write a story's developments as CSV in ACLED's column layout (standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("--story", required=True, help="The story's slug.")
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, story: str, output: Path | None, **options):
        found = Story.objects.filter(slug=story).first()
        if found is None:
            raise CommandError(f"No story with the slug “{story}”.")
        if output is None:
            text = io.StringIO()
            count = write_acled(found, text)
            self.stdout.write(text.getvalue(), ending="")
        else:
            with output.open("w", encoding="utf-8", newline="") as stream:
                count = write_acled(found, stream)
        self.stderr.write(f"{count} event(s) of {found.slug} written.")

"""manage.py import_acled FILE --story SLUG [--deletions FILE] [--skip-bad]: ACLED rows into a story.

The file is streamed in batches, each landing on its own; a stopped import says
what landed and is finished by running the same command again (interchange.services).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.models import Story
from interchange.acled import LayoutError, read_deletions
from interchange.reading import open_rows
from interchange.services import ImportStopped, ImportSummary, acled_import

IMPORTER = "acled-import"  # the author of imported revisions unless --author names an editor


class Command(BaseCommand):
    help = "Import a CSV in ACLED's column layout into a story (new, changed and deleted events)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--story", required=True, help="The story's slug.")
        parser.add_argument("--deletions", type=Path, help="ACLED's deletion list (event_id_cnty values).")
        parser.add_argument("--skip-bad", action="store_true",
                            help="Import the good rows and list the bad ones (default: stop writing at "
                                 "the first batch with a bad row, and list every bad row).")
        parser.add_argument("--author", default=IMPORTER,
                            help=f"Username the revisions are written by (default: {IMPORTER}).")

    def handle(self, *args, file: Path, story: str, deletions: Path | None, skip_bad: bool, author: str,
               **options):
        found = Story.objects.filter(slug=story).first()
        if found is None:
            raise CommandError(f"No story with the slug “{story}”.")
        with _open(file) as stream:
            try:
                rows = open_rows(stream, file.name)
                deleted = read_deletions(_read(deletions), deletions.name) if deletions else None
            except LayoutError as error:
                raise CommandError(f"{error} Nothing was imported.") from None
            user = _author(author)
            # A bar on a terminal only: logs and tests get the summary alone.
            with tqdm(unit="row", desc=file.name, file=sys.stderr, disable=not self.stderr.isatty()) as bar:
                try:
                    summary = acled_import(
                        author=user, story=found, rows=rows, file_name=file.name, deletions=deleted,
                        deletions_name=deletions.name if deletions else "", skip_bad=skip_bad,
                        progress=bar.update)
                except ImportStopped as stopped:
                    raise CommandError(stopped_report(file.name, stopped.summary)) from None
        self.stdout.write(f"{file.name} into {found.slug}: {counts(summary)}.")
        for problem in summary.skipped:
            self.stdout.write(f"skipped {problem}")
        for external_id in summary.not_found:
            self.stdout.write(f"deletion of {external_id}: no such event in the story")


def counts(summary: ImportSummary) -> str:
    return (f"{summary.created} new, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.retracted} retracted, in {summary.revisions} revision(s); {summary.new_actors} "
            f"new actor(s), {summary.new_sources} new source(s)")


def stopped_report(name: str, summary: ImportSummary) -> str:
    """What stopped the import, what landed before it, and how to finish it."""
    why = summary.stopped.rstrip(".") + "." if summary.stopped else ""
    if summary.problems:
        why = (f"{why}\n" if why else "") + (
            f"{name} has {len(summary.problems)} problem(s) (--skip-bad imports the other rows):\n"
            + "\n".join(f"  {problem}" for problem in summary.problems))
    if not summary.batches:
        return f"{why}\nNothing was imported."
    return (f"{why}\nLanded before it, in {summary.batches} batch(es): the rows up to line "
            f"{summary.landed_through}: {counts(summary)} (the last revision #{summary.last_revision}). "
            f"Nothing after line {summary.landed_through} was written.\nCorrect the file and run the same "
            "command again to finish: the rows that landed compare unchanged and write nothing.")


def _open(path: Path):
    try:
        return path.open("rb")
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None


def _author(username: str):
    users = get_user_model()
    if username == IMPORTER:
        # An account of its own for unattended imports; it never signs in.
        user, created = users.objects.get_or_create(username=IMPORTER, defaults={"is_active": False})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user
    user = users.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user “{username}”.")
    return user

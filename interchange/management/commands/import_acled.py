"""manage.py import_acled FILE --story SLUG [--deletions FILE] [--skip-bad]: ACLED rows into a story."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from events.models import Story
from interchange.acled import LayoutError, read_deletions, read_rows
from interchange.services import acled_import
from record.errors import StaleVersionError

IMPORTER = "acled-import"  # the author of imported revisions unless --author names an editor


class Command(BaseCommand):
    help = "Import a CSV in ACLED's column layout into a story (new, changed and deleted events)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--story", required=True, help="The story's slug.")
        parser.add_argument("--deletions", type=Path, help="ACLED's deletion list (event_id_cnty values).")
        parser.add_argument("--skip-bad", action="store_true",
                            help="Import the good rows and list the bad ones (default: import nothing).")
        parser.add_argument("--author", default=IMPORTER,
                            help=f"Username the revisions are written by (default: {IMPORTER}).")

    def handle(self, *args, file: Path, story: str, deletions: Path | None, skip_bad: bool, author: str,
               **options):
        found = Story.objects.filter(slug=story).first()
        if found is None:
            raise CommandError(f"No story with the slug “{story}”.")
        try:
            parsed = read_rows(_read(file), file.name)
            deleted = read_deletions(_read(deletions), deletions.name) if deletions else None
        except LayoutError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        if parsed.problems and not skip_bad:
            listed = "\n".join(f"  {problem}" for problem in parsed.problems)
            raise CommandError(f"{file.name} has {len(parsed.problems)} problem(s); nothing was imported "
                               f"(--skip-bad imports the other rows):\n{listed}")
        user = _author(author)
        # A bar on a terminal only: logs and tests get the summary alone.
        with tqdm(total=len(parsed.good_rows), unit="row", desc=file.name, file=sys.stderr,
                  disable=not self.stderr.isatty()) as bar:
            try:
                summary = acled_import(author=user, story=found, parsed=parsed, file_name=file.name,
                                       deletions=deleted, deletions_name=deletions.name if deletions else "",
                                       skip_bad=skip_bad, progress=bar.update)
            except StaleVersionError as conflict:
                raise CommandError(f"{conflict} Someone edited the story during the import: nothing was "
                                   "imported; run it again.") from None
            except ValidationError as invalid:
                # A value the layout checks let through but the record refuses (e.g. a control
                # character in the notes): the transaction rolled back, so nothing is half-written.
                raise CommandError(f"A row was refused: {'; '.join(invalid.messages)} Nothing was "
                                   "imported.") from None
        self.stdout.write(
            f"{file.name} into {found.slug}: {summary.created} new, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.retracted} retracted, in {summary.revisions} "
            f"revision(s); {summary.new_actors} new actor(s), {summary.new_sources} new source(s).")
        for problem in summary.skipped:
            self.stdout.write(f"skipped {problem}")
        for external_id in summary.not_found:
            self.stdout.write(f"deletion of {external_id}: no such event in the story")


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

"""`manage.py generate_story`: write a synthetic story of a given size through the services."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.generate import generate_story
from events.models import Story


class Command(BaseCommand):
    help = "Write a synthetic story (for benchmarks) through the real services."

    def add_arguments(self, parser):
        parser.add_argument("--slug", default="generated")
        parser.add_argument("--developments", type=int, default=500)
        parser.add_argument("--claims", type=int, default=2000)
        parser.add_argument("--versions", type=int, default=10, help="Versions of each item.")
        parser.add_argument("--per-revision", type=int, default=50,
                            help="Items written by one revision (an editor's bulk edit).")
        parser.add_argument("--current-only", action="store_true",
                            help="One version per item, at the content of the last round.")

    def handle(self, *args, slug, developments, claims, versions, per_revision, current_only, **opts):
        if min(developments, versions, per_revision) < 1 or claims < 0:
            raise CommandError("Sizes must be positive (claims may be 0).")
        if Story.objects.filter(slug=slug).exists():
            raise CommandError(f"A story {slug!r} exists already: choose another --slug.")
        started = time.perf_counter()
        generated = generate_story(
            slug=slug, developments=developments, claims=claims, versions=versions,
            per_revision=per_revision, current_only=current_only,
        )
        seconds = time.perf_counter() - started
        total = (developments + claims) * generated.versions
        self.stdout.write(
            f"Story {slug}: {developments} developments, {claims} claims, {generated.versions} "
            f"versions each ({total} versions, {generated.revisions} revisions) in {seconds:.1f} s "
            f"({total / seconds:.0f} versions/s)."
        )

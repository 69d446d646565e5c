"""`manage.py capture_sources [--story SLUG] [--recheck]`: capture (or check again) cited sources now."""

import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from archive import backfill, selectors, services
from events.models import Story


class Command(BaseCommand):
    help = ("Capture the cited sources not archived yet (a backfill), or with --recheck check every "
            "cited source again now, whatever its schedule.")

    def add_arguments(self, parser):
        parser.add_argument("--story", metavar="SLUG", help="Only the sources this story cites.")
        parser.add_argument("--recheck", action="store_true",
                            help="Check archived sources again (changed / gone / unchanged).")

    def handle(self, *args, story: str | None, recheck: bool, **options):
        chosen = None
        if story is not None:
            chosen = Story.objects.filter(slug=story).first()
            if chosen is None:
                raise CommandError(f"No story with the slug {story!r}.")
        ids = selectors.backfill_source_ids(story=chosen, recheck=recheck)
        outcomes: Counter = Counter()
        # A recheck goes source by source, a bad one never stopping the batch; a backfill
        # fetches a few at a time, noted in batched revisions.
        captured = services.sources_check(ids) if recheck else backfill.capture_sources(ids)
        # A bar on a terminal; one summary line in logs and pipes.
        with tqdm(captured, total=len(ids), unit="source", disable=not sys.stdout.isatty(),
                  file=sys.stdout) as progress:
            for _source_id, capture in progress:
                outcomes[capture.outcome if capture else "skipped"] += 1
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(ids)} source(s){': ' + summary if summary else ''}.")

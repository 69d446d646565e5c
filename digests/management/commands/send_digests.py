"""Build and send the due digests of one frequency now: the scheduled path, run by hand."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from digests import delivery, services, webhooks
from digests.models import Subscription


class Command(BaseCommand):
    help = "Build the due digests of a frequency and deliver them (the same path Celery beat runs)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Subscription.Frequency.values,
                            default=Subscription.Frequency.DAILY)

    def handle(self, *args, frequency: str, **options):
        digests = services.digests_run(frequency)
        ids = [digest.pk for digest in digests]
        failed: list[int] = []
        # A bar on a terminal; plain lines in logs and pipes.
        with tqdm(total=len(ids), unit="digest", disable=not sys.stdout.isatty(),
                  file=sys.stdout) as progress:
            for start in range(0, len(ids), 50):
                batch = ids[start:start + 50]
                failed += delivery.digests_deliver(batch)
                progress.update(len(batch))
        # Without Redis there is no beat to run the sweeps: lost deliveries and due
        # email retries, then the webhook retries.
        delivery.digests_deliver(services.digests_stale())
        retried = webhooks.retry_due_deliveries()
        self.stdout.write(f"{frequency}: {len(ids) - len(failed)} digest(s) delivered, "
                          f"{len(failed)} refused for now (retried on their schedule); "
                          f"{retried} webhook retr{'y' if retried == 1 else 'ies'} due sent.")
        if failed:
            self.stderr.write(f"Digest ids to retry: {failed}")

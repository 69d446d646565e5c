"""Load the demo story (idempotent)."""

from django.core.management.base import BaseCommand

from demo.story import load_demo


class Command(BaseCommand):
    help = "Load the Karabakh September 2023 demo story; running it again changes nothing."

    def handle(self, *args, **options) -> None:
        story, created = load_demo()
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(f"{verb} {story.title} (/stories/{story.slug}/)")

"""Rebuild the search index from the versions, and report how far it had drifted."""

from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every version; report entries missing, wrong or extra."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Only report drift; change nothing (exit status 1 when there is some).")

    def handle(self, *args, check: bool = False, **options):
        drift = rebuild(check_only=check)
        for name in ("missing", "wrong", "extra"):
            found = getattr(drift, name)
            sample = ", ".join(f"{kind} {pk} v{version}" for kind, pk, version in found[:5])
            self.stdout.write(f"{name}: {len(found)}" + (f" ({sample}{', ...' if len(found) > 5 else ''})"
                                                         if found else ""))
        if check:
            self.stdout.write("The index is in step." if not drift else "The index has drifted.")
            if drift:
                raise SystemExit(1)
        else:
            self.stdout.write("Rebuilt the search index from the versions.")

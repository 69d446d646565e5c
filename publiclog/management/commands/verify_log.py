"""`manage.py verify_log`: recompute every leaf and root of the public log and check the signatures."""

from django.core.management.base import BaseCommand, CommandError

from publiclog.audit import audit_log


class Command(BaseCommand):
    help = ("Recompute every revision's leaf from the database, the tree's roots from the leaves, "
            "check every checkpoint's signature, every stored tile against the tree and every kept WARC "
            "against its hash. Exits 1 and "
            "names the revisions on any problem.")

    def handle(self, *args, **options):
        audit = audit_log()
        for problem in audit.problems:
            self.stderr.write(f"FAILED: {problem}")
        if audit.problems:
            raise CommandError(f"The log does not verify: {len(audit.problems)} problem(s).")
        self.stdout.write(f"OK: {audit.leaves} leaves match the database; {audit.checkpoints} "
                          f"checkpoint(s) match the tree and carry a valid signature; {audit.tiles} stored "
                          f"tile(s) match the tree; {audit.warcs} "
                          f"WARC file(s) match the hashes their sources' versions hold.")

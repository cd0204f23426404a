"""`manage.py rebuild_analytics --from 2026-09-01 --to 2026-11-30`: recompute the daily rollups of a date range
(Asia/Shanghai days, both ends included) from the source rows — after a restore, a fix, or to check them, a month
per transaction. `--all`: every day from the first source row to today, in one transaction that the data centre's
reads wait for (about 80 s at the benchmark's size, bench/README.md)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import rollups
from kos_platform import clock


class Command(BaseCommand):
    help = "Recompute the analytics rollups of a date range from the metric, note, spend and order rows."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--from", dest="first", type=date.fromisoformat)
        which.add_argument("--all", action="store_true", help="every day, the tables emptied and refilled")
        parser.add_argument("--to", dest="last", type=date.fromisoformat, default=None)

    def handle(self, *args, first, last, **options):
        if options["all"]:
            if last:
                raise CommandError("--all rebuilds up to today; leave out --to.")
            total = rollups.rebuild_all()
            self.stdout.write(self.style.SUCCESS(f"Rebuilt every day: {total} account-days."))
            return
        last = last or clock.local_today()
        if first > last:
            raise CommandError("--from is after --to.")
        progress = (lambda day: self.stdout.write(f"{day}: done")) if options["verbosity"] > 1 else None
        total = rollups.rebuild(first, last, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {first} – {last}: {total} account-days."))

"""`manage.py rebuild_analytics --from 2026-09-01 --to 2026-11-30`: recompute the daily rollups of a date range
(Asia/Shanghai days, both ends included) from the source rows — after a restore, a fix, or to check them."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from analytics import rollups
from kos_platform import clock


class Command(BaseCommand):
    help = "Recompute the analytics rollups of a date range from the metric, note, spend and order rows."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=date.fromisoformat, required=True)
        parser.add_argument("--to", dest="last", type=date.fromisoformat, default=None)

    def handle(self, *args, first, last, **options):
        last = last or clock.local_today()
        if first > last:
            raise CommandError("--from is after --to.")

        def progress(day):
            self.stdout.write(f"{day}: done")

        total = rollups.rebuild(first, last, progress=progress if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {first} – {last}: {total} account-days."))

"""Report stored dates outside the input limits (API.md): rows written before the guard, to correct or delete."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Q

from kos_platform import guard

SHOWN = 20
BOUNDS = {
    guard.validate_content_date: guard.content_dates,
    guard.validate_enterprise_date: lambda: guard.ENTERPRISE_DATES,
}


def bounded_fields():
    """Every model date field the guard's validators bound, with its bounds."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            for validator, bounds in BOUNDS.items():
                if any(v is validator for v in field.validators):
                    yield model, field, bounds()


def outside(field, bounds) -> Q:
    low, high = bounds
    if isinstance(field, models.DateTimeField):
        low, high = guard.day_start(low), guard.day_start(high) + guard.ONE_DAY
        return Q(**{f"{field.name}__lt": low}) | Q(**{f"{field.name}__gte": high})
    return Q(**{f"{field.name}__lt": low}) | Q(**{f"{field.name}__gt": high})


class Command(BaseCommand):
    help = "List stored content and enterprise dates outside the input limits (nothing is changed)."

    def handle(self, *args, **options):
        total = 0
        for model, field, bounds in bounded_fields():
            rows = model.objects.filter(outside(field, bounds)).order_by("pk")
            count = rows.count()
            total += count
            if count:
                where = f"{model._meta.verbose_name} · {field.verbose_name} ({model._meta.label}.{field.name})"
                self.stdout.write(f"{where}: {count}")
                for row in rows[:SHOWN]:
                    self.stdout.write(f"  #{row.pk} {row}: {getattr(row, field.name)}")
        self.stdout.write(f"{total} stored value(s) outside the bounds.")

"""Re-encrypt every encrypted PII column with the first key of PII_ENCRYPTION_KEYS.

Rotation: put the new key first in PII_ENCRYPTION_KEYS, keep the old ones after it, run this command,
then drop the old keys. Blind indexes do not change (they use PII_BLIND_INDEX_KEY).
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from kos_platform.pii import EncryptedTextField, rotate

BATCH = 1000


class Command(BaseCommand):
    help = "Re-encrypt encrypted PII columns with the current (first) key."

    def handle(self, *args, **options):
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedTextField):
                    count = self.rotate_column(model, field.attname)
                    self.stdout.write(f"{model._meta.label}.{field.attname}: {count} rows re-encrypted")

    def rotate_column(self, model, attname: str) -> int:
        count, last_pk = 0, 0
        while True:
            with transaction.atomic():
                rows = list(
                    model.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(**{attname: ""})
                    .order_by("pk")
                    .values_list("pk", attname)[:BATCH]
                )
                if not rows:
                    return count
                objs = [model(pk=pk, **{attname: rotate(token)}) for pk, token in rows]
                model.objects.bulk_update(objs, [attname])
            count += len(rows)
            last_pk = rows[-1][0]

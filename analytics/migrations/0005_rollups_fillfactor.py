"""Room on each page of the rollup tables (PostgreSQL's fillfactor 90), so that the metrics ingest's in-place
updates of note-days, account-days and enterprise-days stay on their page without new index entries (HOT updates):
a fifth off its rollup statement (bench/README.md, Analytics). Pages already full get the room as they are
rewritten (the rebuild refills every table)."""

from django.db import migrations

TABLES = ("analytics_noteday", "analytics_accountday", "analytics_enterpriseday")


def set_fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in TABLES:
                schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [("analytics", "0004_rollups_without_constraints")]

    operations = [migrations.RunPython(set_fillfactor(90), set_fillfactor(100))]

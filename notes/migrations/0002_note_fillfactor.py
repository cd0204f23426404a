from django.db import migrations


def leave_room_for_in_place_updates(apps, schema_editor):
    """Metrics batches rewrite the kept totals of thousands of notes; free space on each page lets PostgreSQL
    update them in place (HOT) without touching the indexes."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE notes_note SET (fillfactor = 80)")


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [migrations.RunPython(leave_room_for_in_place_updates, migrations.RunPython.noop)]

from django.db import migrations


def leave_room_for_revised_days(apps, schema_editor):
    """The content platform sends the recent days' figures again as they are revised; free space on each page lets
    PostgreSQL replace a day in place (HOT), without a new primary-key entry and without writing a second page."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE notes_notedailymetric SET (fillfactor = 90)")


class Migration(migrations.Migration):
    dependencies = [("notes", "0002_note_fillfactor")]

    operations = [migrations.RunPython(leave_room_for_revised_days, migrations.RunPython.noop)]

"""Search by part of a name without scanning every person: a trigram index on UPPER(name), which is
what Django's icontains compares on PostgreSQL (UPPER(name) LIKE UPPER('%…%')).

PostgreSQL only (pg_trgm is a trusted extension from PostgreSQL 13, so the database owner can create
it); on SQLite this migration does nothing. It lives in the staff app, whose search needs it, so the
feedback app's migrations stay the lead engineer's alone.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS heard_person_name_upper_trgm "
        "ON feedback_person USING gin (UPPER(name) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS heard_person_name_upper_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("feedback", "0002_matter_date"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

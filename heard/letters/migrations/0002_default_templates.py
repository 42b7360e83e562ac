"""Load the default plain-English wording of every letter (heard/letters/defaults.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from heard.letters.defaults import DEFAULT_TEMPLATES

    LetterTemplate = apps.get_model("letters", "LetterTemplate")
    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

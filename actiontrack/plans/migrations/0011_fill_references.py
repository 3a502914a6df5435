"""Today's numbers become references: recommendation 2 is "2", its first action "2.1" — the same text, so every
address, export and report reads as before. The journal is left as written: replay reads its old "number"."""

from django.db import migrations


def fill(apps, schema_editor):
    Recommendation = apps.get_model("plans", "Recommendation")
    Action = apps.get_model("plans", "Action")
    for rec in Recommendation.objects.all().iterator():
        rec.ref = rec.slug = str(rec.number)
        rec.save(update_fields=["ref", "slug"])
    for action in Action.objects.select_related("recommendation").iterator():
        action.ref = action.slug = f"{action.recommendation.number}.{action.number}"
        action.save(update_fields=["ref", "slug"])


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0010_references_and_groups'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

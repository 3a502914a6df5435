# Each action's count of due-date changes, kept with the row from now on (services sync_action); filled here from
# the journal, as domain.journal.due_revisions counts them: a change of due date from a date, in effective order.

from django.db import migrations, models


def fill(apps, schema_editor):
    Action = apps.get_model("plans", "Action")
    JournalEvent = apps.get_model("core", "JournalEvent")
    events = (JournalEvent.objects.filter(entity_type="action", field__in=["created", "due"])
              .order_by("entity_id", "effective_on", "id").values_list("entity_id", "field", "new"))
    counts, dated, current = {}, False, None
    for entity_id, field, new in events.iterator(chunk_size=5000):
        if entity_id != current:
            current, dated = entity_id, False
        due = (new or {}).get("due") if field == "created" else new
        if field == "due" and dated:
            counts[entity_id] = counts.get(entity_id, 0) + 1
        dated = bool(due and due.get("on"))
    for action_id, count in counts.items():
        Action.objects.filter(pk=action_id).update(revisions=count)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0014_plan_progress_version'),
        ('core', '0003_background_job'),
    ]

    operations = [
        migrations.AddField(
            model_name='action',
            name='revisions',
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

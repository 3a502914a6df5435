# Roles on plans moved to the plans app (so people no longer imports plans). The table stays where it is:
# only Django's record of which app owns the model changes.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='PlanRole')],
            database_operations=[],
        ),
    ]

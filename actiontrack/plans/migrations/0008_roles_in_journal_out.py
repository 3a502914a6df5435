# PlanRole comes here from people, and JournalEvent leaves for the core app (which every app may import).
# Both tables keep their names and rows: only Django's record of which app owns each model changes.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0007_recorded_names'),
        ('people', '0003_planrole_to_plans'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PlanRole',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('manager', 'Plan manager'), ('verifier', 'Verifier'), ('viewer', 'Viewer')], max_length=20)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='plans.plan')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plan_roles', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'people_planrole',
                        'constraints': [models.UniqueConstraint(fields=('user', 'plan', 'role'), name='one_role_row_per_kind')],
                    },
                ),
                migrations.DeleteModel(name='JournalEvent'),
            ],
            database_operations=[],
        ),
    ]

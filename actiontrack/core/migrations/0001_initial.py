# The journal's table was created by the plans app (plans_journalevent); this app takes it over as it stands.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('plans', '0008_roles_in_journal_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='JournalEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('entity_type', models.CharField(choices=[('plan', 'Plan'), ('recommendation', 'Recommendation'), ('action', 'Action'), ('post', 'Post'), ('update', 'Progress update'), ('proposal', 'Date proposal'), ('evidence', 'Evidence'), ('user', 'User')], max_length=20)),
                        ('entity_id', models.BigIntegerField()),
                        ('field', models.CharField(max_length=40)),
                        ('old', models.JSONField(blank=True, null=True)),
                        ('new', models.JSONField(blank=True, null=True)),
                        ('reason', models.TextField(blank=True)),
                        ('actor_name', models.CharField(help_text='Who, as shown; kept even if the user is renamed', max_length=200)),
                        ('source', models.CharField(choices=[('web', 'Web'), ('cli', 'Command line'), ('import', 'Import'), ('demo', 'Demo data'), ('api', 'API')], max_length=20)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('effective_on', models.DateField()),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='journal_events', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='journal', to='plans.plan')),
                    ],
                    options={
                        'db_table': 'plans_journalevent',
                        'ordering': ['effective_on', 'id'],
                        'indexes': [models.Index(fields=['plan', 'effective_on'], name='plans_journ_plan_id_7e952e_idx'), models.Index(fields=['entity_type', 'entity_id'], name='plans_journ_entity__eed95d_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

"""References become text, kept as the source writes them; groups between plan and recommendation.

Three steps so that PostgreSQL never changes a table's shape in the transaction that rewrote its rows: add the
columns (this file), fill them (0011: recommendation 2 becomes reference "2", its first action "2.1"), then
drop the number and add the constraints (0012)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0009_recommendation_kinds'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='group_label',
            field=models.CharField(blank=True, default='', help_text='What the source calls its groups: theme, pillar, volume, directorate', max_length=60),
        ),
        migrations.CreateModel(
            name='Group',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=300)),
                ('position', models.PositiveIntegerField(default=0, help_text='Display order')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='groups', to='plans.plan')),
            ],
            options={
                'ordering': ['plan', 'position', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'name'), name='group_name_unique')],
            },
        ),
        migrations.AddField(
            model_name='recommendation',
            name='ref',
            field=models.CharField(default='', help_text='The reference the source gives it, as text; never changes', max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='recommendation',
            name='slug',
            field=models.CharField(default='', help_text='The reference in the plan\'s addresses; never changes', max_length=120),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='recommendation',
            name='group',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recommendations', to='plans.group'),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='source',
            field=models.CharField(blank=True, help_text='Which review it comes from, where the plan consolidates several', max_length=300),
        ),
        migrations.AddField(
            model_name='action',
            name='ref',
            field=models.CharField(default='', help_text="The source's reference, or one derived from the recommendation's; never changes", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='action',
            name='slug',
            field=models.CharField(default='', help_text="The reference in the action's address; never changes", max_length=120),
            preserve_default=False,
        ),
    ]

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0011_fill_references'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='recommendation',
            name='recommendation_number_unique',
        ),
        migrations.AlterModelOptions(
            name='recommendation',
            options={'ordering': ['plan', 'position', 'pk']},
        ),
        migrations.AlterModelOptions(
            name='action',
            options={'ordering': ['plan', 'recommendation__position', 'recommendation', 'position', 'number']},
        ),
        migrations.RemoveField(
            model_name='recommendation',
            name='number',
        ),
        migrations.AlterField(
            model_name='recommendation',
            name='position',
            field=models.PositiveIntegerField(default=0, help_text='Display order; the reference never changes'),
        ),
        migrations.AlterField(
            model_name='action',
            name='number',
            field=models.PositiveIntegerField(help_text='Its place in the order actions were added to the recommendation: the n of a derived reference such as 2.1'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.UniqueConstraint(fields=('plan', 'slug'), name='recommendation_slug_unique'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.UniqueConstraint(fields=('plan', 'group', 'ref'), name='recommendation_ref_unique_in_group'),
        ),
        migrations.AddConstraint(
            model_name='recommendation',
            constraint=models.UniqueConstraint(condition=models.Q(('group', None)), fields=('plan', 'ref'), name='recommendation_ref_unique_ungrouped'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.UniqueConstraint(fields=('plan', 'slug'), name='action_slug_unique'),
        ),
    ]

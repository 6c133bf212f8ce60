"""The submission limit's counters, in a table `migrate` makes (no `createcachetable` needed)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0007_ruleset_2026_12_1'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubmissionCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address_hash', models.CharField(max_length=64)),
                ('window_start', models.DateTimeField(db_index=True)),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('address_hash', 'window_start'), name='submission_count_unique_window')],
            },
        ),
    ]

"""Repeat intakes (spec §5) and the queue's effective visit date.

- Invitation.patient: an invitation made from a patient's page; Invitation.birth_date_failures:
  the wrong dates of birth typed on its link (the link locks at intake.birthdate's limit).
- PatientLink.source: a link made by staff, or at submit by a repeat invitation. Every link
  stored so far was made by staff (the default).
- The queue's indexes read the effective visit date, COALESCE(appointment_date, visit_date),
  instead of the visit date: the queue sorts and filters on that same expression.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0010_patients_and_treatments'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='intake',
            name='intake_open_queue_idx',
        ),
        migrations.RemoveIndex(
            model_name='intake',
            name='intake_queue_idx',
        ),
        migrations.RemoveIndex(
            model_name='intake',
            name='intake_queue_all_idx',
        ),
        migrations.AddField(
            model_name='invitation',
            name='birth_date_failures',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='wrong dates of birth'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='patient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invitations', to='intake.patient', verbose_name='patient'),
        ),
        migrations.AddField(
            model_name='patientlink',
            name='source',
            field=models.CharField(choices=[('staff', 'Staff'), ('repeat_invitation', 'Repeat invitation, date of birth confirmed')], default='staff', max_length=24, verbose_name='source'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(models.F('current_verdict_rank'), django.db.models.functions.comparison.Coalesce('appointment_date', 'visit_date', output_field=models.DateField()), models.F('submitted_at'), condition=models.Q(('status__in', ['new', 'in_review'])), name='intake_open_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(models.F('status'), models.F('current_verdict_rank'), django.db.models.functions.comparison.Coalesce('appointment_date', 'visit_date', output_field=models.DateField()), name='intake_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(models.F('current_verdict_rank'), django.db.models.functions.comparison.Coalesce('appointment_date', 'visit_date', output_field=models.DateField()), models.F('submitted_at'), models.F('id'), name='intake_queue_all_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(django.db.models.functions.comparison.Coalesce('appointment_date', 'visit_date', output_field=models.DateField()), models.F('submitted_at'), name='intake_visit_idx'),
        ),
    ]

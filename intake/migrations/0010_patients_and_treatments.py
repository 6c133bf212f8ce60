"""Patients across visits (spec §5): the patient record, treatments, the links' history, the
appointment date, and the current result beside the original.

- Patient, Treatment (append-only, bounded units and dilution) and PatientLink; Intake.patient
  (PROTECT) and Intake.appointment_date; AccessRecord.patient and the new actions.
- Rescreening gets its reason, who caused it, and its flag codes as text (the queue's filter).
- Intake.current_*: the current result (the latest re-screening's, else the original), which the
  queue's indexes now read. Intakes get their original result, or that of their latest
  re-screening (all of which so far came from new rule sets).
- The permissions of the new models and of setting an appointment, given to the groups.

The verdict ranks and permission names are written here, not imported: a migration keeps meaning
what it meant when it was written.
"""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import F

import intake.models

VERDICT_RANKS = {"not_suitable": 0, "needs_review": 1, "suitable_with_cautions": 2, "suitable": 3}
GROUP_PERMISSIONS = {
    "Doctors": [
        "view_patient",
        "add_patient",
        "link_intake",
        "view_patientlink",
        "view_treatment",
        "add_treatment",
        "set_appointment",
    ],
    # Reception: contact details and visits, links and appointments; never a treatment.
    "Reception": ["view_patient", "add_patient", "link_intake", "set_appointment"],
}


def fill_current_results(apps, schema_editor):
    Intake = apps.get_model("intake", "Intake")
    Rescreening = apps.get_model("intake", "Rescreening")
    Intake.objects.update(
        current_verdict=F("verdict"),
        current_verdict_rank=F("verdict_rank"),
        current_suitability=F("suitability"),
    )
    latest = {}
    for rescreening in Rescreening.objects.order_by("intake_id", "created_at", "pk").iterator():
        codes = [flag["code"] for flag in rescreening.result.get("flags", [])]
        rescreening.flag_codes = f" {' '.join(codes)} " if codes else ""
        rescreening.save(update_fields=["flag_codes"])
        latest[rescreening.intake_id] = rescreening
    for intake_id, rescreening in latest.items():
        Intake.objects.filter(pk=intake_id).update(
            current_rescreening=rescreening,
            current_verdict=rescreening.verdict,
            current_verdict_rank=VERDICT_RANKS[rescreening.verdict],
            current_suitability=rescreening.suitability,
        )


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0009_consent_2026_12'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Patient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('full_name', models.CharField(max_length=100, verbose_name='full name')),
                ('full_name_kana', models.CharField(blank=True, max_length=100, verbose_name='name in katakana')),
                ('date_of_birth', models.DateField(verbose_name='date of birth')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'patient',
                'verbose_name_plural': 'patients',
                'ordering': ['full_name_kana', 'full_name', 'pk'],
                'permissions': [('link_intake', 'Can link intakes to patient records')],
            },
        ),
        migrations.CreateModel(
            name='PatientLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(choices=[('linked', 'Linked'), ('unlinked', 'Unlinked')], max_length=16, verbose_name='action')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                ('note', models.TextField(blank=True, max_length=500, verbose_name='note')),
            ],
            options={
                'verbose_name': 'patient link',
                'verbose_name_plural': 'patient links',
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Treatment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('treated_on', models.DateField(verbose_name='treatment date')),
                ('product', models.CharField(choices=intake.models.AnswerChoices('botulinum_product'), max_length=32, verbose_name='product')),
                ('lot_number', models.CharField(blank=True, max_length=40, verbose_name='lot number')),
                ('dilution_ml_per_100u', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='dilution (mL per 100 U)')),
                ('total_units', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='total units')),
                ('areas', models.JSONField(default=list, verbose_name='areas')),
                ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                ('withdrawn', models.BooleanField(default=False, verbose_name='withdrawn')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded')),
            ],
            options={
                'verbose_name': 'treatment',
                'verbose_name_plural': 'treatments',
                'ordering': ['patient', '-treated_on', '-recorded_at', '-id'],
            },
        ),
        migrations.AlterModelOptions(
            name='intake',
            options={'ordering': ['current_verdict_rank', 'visit_date', 'submitted_at'], 'permissions': [('review_intake', 'Can review intakes and record decisions'), ('view_queue', 'Can see the intake queue (names, visit dates, status)'), ('export_intake', 'Can export intakes to CSV'), ('set_appointment', "Can set or move an intake's appointment date")], 'verbose_name': 'intake', 'verbose_name_plural': 'intakes'},
        ),
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
            name='intake_status_verdict_idx',
        ),
        migrations.RemoveIndex(
            model_name='intake',
            name='intake_queue_all_idx',
        ),
        migrations.AddField(
            model_name='intake',
            name='appointment_date',
            field=models.DateField(blank=True, null=True, verbose_name='appointment date'),
        ),
        migrations.AddField(
            model_name='intake',
            name='current_rescreening',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='intake.rescreening'),
        ),
        migrations.AddField(
            model_name='intake',
            name='current_suitability',
            field=models.CharField(choices=intake.models.LabelChoices('SUITABILITY_LABELS'), default='', editable=False, max_length=16, verbose_name='current suitability'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='intake',
            name='current_verdict',
            field=models.CharField(choices=intake.models.LabelChoices('VERDICT_LABELS'), default='', editable=False, max_length=32, verbose_name='current verdict'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='intake',
            name='current_verdict_rank',
            field=models.PositiveSmallIntegerField(default=3, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='rescreening',
            name='flag_codes',
            field=models.CharField(blank=True, editable=False, max_length=1000),
        ),
        migrations.AddField(
            model_name='rescreening',
            name='reason',
            field=models.CharField(choices=[('ruleset', 'The rules changed'), ('linked', 'Linked to a patient record'), ('unlinked', 'Unlinked from a patient record'), ('treatment', 'A treatment was recorded or corrected'), ('appointment', 'The appointment date was set or moved')], default='ruleset', max_length=16, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='rescreening',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AlterField(
            model_name='accessrecord',
            name='action',
            field=models.CharField(choices=[('detail', 'Opened the intake'), ('print', 'Opened the print view'), ('admin', 'Opened in the admin'), ('export', 'Exported'), ('decision_refused', 'Shown again, decision not saved'), ('patient', "Opened the patient's page"), ('history', "Shown in the patient's history"), ('match', 'Shown as a possible match'), ('visit', "Opened the visit's link and appointment page"), ('treatment', 'Opened the treatment form')], max_length=16, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='patient',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='accessrecord',
            name='patient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='access_records', to='intake.patient', verbose_name='patient'),
        ),
        migrations.AddField(
            model_name='intake',
            name='patient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='intakes', to='intake.patient', verbose_name='patient'),
        ),
        migrations.AddIndex(
            model_name='accessrecord',
            index=models.Index(fields=['patient', '-at'], name='access_patient_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(condition=models.Q(('status__in', ['new', 'in_review'])), fields=['current_verdict_rank', 'visit_date', 'submitted_at'], name='intake_open_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(fields=['status', 'current_verdict_rank', 'visit_date'], name='intake_queue_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(fields=['status', 'current_verdict'], name='intake_status_verdict_idx'),
        ),
        migrations.AddIndex(
            model_name='intake',
            index=models.Index(fields=['current_verdict_rank', 'visit_date', 'submitted_at', 'id'], name='intake_queue_all_idx'),
        ),
        migrations.AddField(
            model_name='patientlink',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='patientlink',
            name='intake',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='patient_links', to='intake.intake'),
        ),
        migrations.AddField(
            model_name='patientlink',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='links', to='intake.patient'),
        ),
        migrations.AddField(
            model_name='treatment',
            name='doctor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='treatments', to=settings.AUTH_USER_MODEL, verbose_name='doctor'),
        ),
        migrations.AddField(
            model_name='treatment',
            name='intake',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='treatments', to='intake.intake', verbose_name='intake'),
        ),
        migrations.AddField(
            model_name='treatment',
            name='patient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='treatments', to='intake.patient'),
        ),
        migrations.AddField(
            model_name='treatment',
            name='supersedes',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='superseded_by', to='intake.treatment'),
        ),
        migrations.AddIndex(
            model_name='patient',
            index=models.Index(fields=['date_of_birth'], name='patient_birth_idx'),
        ),
        migrations.AddIndex(
            model_name='patient',
            index=models.Index(fields=['full_name_kana'], name='patient_kana_idx'),
        ),
        migrations.AddIndex(
            model_name='treatment',
            index=models.Index(fields=['patient', 'treated_on'], name='treatment_patient_idx'),
        ),
        migrations.AddConstraint(
            model_name='treatment',
            constraint=models.CheckConstraint(condition=models.Q(('total_units__gte', Decimal('0.5')), ('total_units__lte', Decimal('500'))), name='treatment_units_in_bounds'),
        ),
        migrations.AddConstraint(
            model_name='treatment',
            constraint=models.CheckConstraint(condition=models.Q(('dilution_ml_per_100u__gte', Decimal('0.2')), ('dilution_ml_per_100u__lte', Decimal('20'))), name='treatment_dilution_in_bounds'),
        ),
        # Last: on PostgreSQL no table may be altered after its rows were updated in the same
        # transaction (deferred foreign-key checks are pending).
        migrations.RunPython(fill_current_results, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]

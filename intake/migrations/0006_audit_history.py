"""History that can't be rewritten, erasure that leaves no copy.

- Access records PROTECT their user (an account that read an intake is deactivated, not deleted)
  and keep the username as text; the existing ones get theirs from their user where it is known.
- A new action: a refused decision, which shows the whole intake again.
- The admin's log named invitations by the patient ("name · visit date") and kept that text
  after the invitation or its intake was deleted. Entries of invitations still here are renamed
  as the admin now names them ("#number · visit date"); entries of invitations and intakes
  already deleted, and of decisions and re-screenings of deleted intakes (their text starts with
  the intake's reference), keep who did what and when, but no longer which object.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

ERASED = "—"


def fill_usernames(apps, schema_editor):
    AccessRecord = apps.get_model("intake", "AccessRecord")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    AccessRecord.objects.filter(user__isnull=False).update(
        username=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("username")[:1])
    )


def anonymise_admin_log(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    Intake = apps.get_model("intake", "Intake")
    Invitation = apps.get_model("intake", "Invitation")
    types = {
        content_type.model: content_type
        for content_type in ContentType.objects.filter(
            app_label="intake", model__in=["intake", "invitation", "decision", "rescreening"]
        )
    }
    erased = []
    if "invitation" in types:
        entries = LogEntry.objects.filter(content_type=types["invitation"], object_id__isnull=False)
        visits = dict(Invitation.objects.values_list("pk", "visit_date"))
        for entry in entries:
            pk = int(entry.object_id) if entry.object_id.isdigit() else None
            if pk in visits:
                entry.object_repr = f"#{pk} · {visits[pk]}"
                entry.save(update_fields=["object_repr"])
            else:
                erased.append(entry.pk)
    if "intake" in types:
        intakes = {str(pk) for pk in Intake.objects.values_list("pk", flat=True)}
        erased += [
            pk
            for pk, object_id in LogEntry.objects.filter(
                content_type=types["intake"], object_id__isnull=False
            ).values_list("pk", "object_id")
            if object_id not in intakes
        ]
    related = [types[model] for model in ("decision", "rescreening") if model in types]
    if related:
        references = set(Intake.objects.values_list("reference", flat=True))
        erased += [
            pk
            for pk, text in LogEntry.objects.filter(
                content_type__in=related, object_id__isnull=False
            ).values_list("pk", "object_repr")
            if text.split(" · ")[0] not in references
        ]
    LogEntry.objects.filter(pk__in=erased).update(
        object_id=None, object_repr=ERASED, change_message=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0005_flag_texts_store_only_overrides"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="accessrecord",
            name="username",
            field=models.CharField(
                blank=True, editable=False, max_length=150, verbose_name="username"
            ),
        ),
        migrations.AlterField(
            model_name="accessrecord",
            name="action",
            field=models.CharField(
                choices=[
                    ("detail", "Opened the intake"),
                    ("print", "Opened the print view"),
                    ("admin", "Opened in the admin"),
                    ("export", "Exported"),
                    ("decision_refused", "Shown again, decision not saved"),
                ],
                max_length=16,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="accessrecord",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_usernames, migrations.RunPython.noop),
        migrations.RunPython(anonymise_admin_log, migrations.RunPython.noop),
    ]

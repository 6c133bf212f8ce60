"""Seed the editable flag texts from the rules' defaults; give the groups what the admin needs.

The FlagText rows start as the code's own texts (intake.screening.RULES), so staff edit what
patients and doctors actually see. A rule added later needs a migration like this one for its
row (tests/test_content.py checks that every rule has one); until then its code defaults apply.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# What each group gains in the admin, beyond 0002's permissions.
GROUP_PERMISSIONS = {
    # Doctors own the clinical and patient-facing words: flag texts, consent, clinic profile.
    "Doctors": [
        "view_flagtext",
        "change_flagtext",
        "view_consentdocument",
        "add_consentdocument",
        "change_consentdocument",
        "delete_consentdocument",  # drafts only: published versions are never deleted
        "view_clinicprofile",
        "change_clinicprofile",
    ],
    # Reception cancels an invitation made by mistake (unused ones only).
    "Reception": ["delete_invitation"],
}


def seed_flag_texts(apps, schema_editor):
    from intake.screening import RULES

    FlagText = apps.get_model("intake", "FlagText")
    for rule in RULES:
        texts = {}
        for field in ("title", "clinician_note", "patient_note"):
            default = getattr(rule, field)
            texts[f"{field}_ja"] = default.ja if default else ""
            texts[f"{field}_en"] = default.en if default else ""
            texts[field] = texts[f"{field}_ja"]  # the untranslated column holds the default language
        FlagText.objects.get_or_create(code=rule.code, defaults=texts)


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
    dependencies = [("intake", "0002_groups_and_first_consent")]

    operations = [
        # Reversing keeps the rows: they may hold the clinic's own texts by then.
        migrations.RunPython(seed_flag_texts, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]

"""Give the groups what the admin needs.

This migration used to seed the FlagText rows with the rules' texts, imported from the live
intake.screening. The rows now hold only staff's overrides (a blank field means the code's text):
0005 creates them blank, and nothing here depends on the rules, whose texts change with each rule
set. A rule added later needs a migration creating its blank row, so staff can override its texts
(tests/test_migrations.py checks that every rule has one); until then the code's texts apply.
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
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]

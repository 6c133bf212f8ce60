"""Groups every database needs, and the first consent text patients agree to."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOCTOR_PERMISSIONS = [
    "review_intake",
    "view_queue",
    "view_intake",
    "view_intakeflag",
    "view_decision",
    "view_accessrecord",
    "view_rescreening",
    "view_invitation",
]
RECEPTION_PERMISSIONS = [
    "view_queue",
    "view_invitation",
    "add_invitation",
    "change_invitation",
]

PRIVACY_JA = """当院は、この問診でお預かりする情報（氏名・連絡先・生年月日・肌と健康の状態・お薬・施術歴）を、要配慮個人情報として取り扱います。

1. 利用目的：施術の適否の確認、診察・施術の準備、ご予約に関するご連絡にのみ利用します。
2. 閲覧できる人：診察する医師と、受付業務に必要な範囲の職員に限ります。閲覧はすべて記録されます。
3. 第三者提供：法令に基づく場合を除き、ご本人の同意なく第三者に提供しません。
4. 保存期間：当院の定める期間保存した後、削除または匿名化します。
5. 開示・訂正・削除のご請求は受付までお申し出ください。"""

PRIVACY_EN = """The clinic handles the information you give in this questionnaire (name, contact details, date of birth, skin and health, medicines, past treatments) as sensitive personal information.

1. Purpose: only to check whether the treatment suits you, to prepare your consultation and treatment, and to contact you about your appointment.
2. Who can see it: the doctor who sees you, and staff only as far as reception work needs. Every access is recorded.
3. Third parties: we give it to no one without your consent, except where the law requires.
4. Retention: kept for the period the clinic sets, then deleted or anonymised.
5. To see, correct or delete your information, ask at reception."""


def create_groups_and_consent(apps, schema_editor):
    # Permissions are normally created after migrations; groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Doctors", DOCTOR_PERMISSIONS), ("Reception", RECEPTION_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="intake", codename__in=codenames)
        )

    ConsentDocument = apps.get_model("intake", "ConsentDocument")
    ConsentDocument.objects.get_or_create(
        version="2026-11",
        defaults={
            "title": "個人情報の取り扱いについて",
            "title_ja": "個人情報の取り扱いについて",
            "title_en": "How we handle your personal information",
            "body": PRIVACY_JA,
            "body_ja": PRIVACY_JA,
            "body_en": PRIVACY_EN,
            "effective_date": datetime.date(2026, 11, 1),
            "published": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups_and_consent, migrations.RunPython.noop)]

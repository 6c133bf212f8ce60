"""`python manage.py demo_data`: a demo clinic, demo staff and demo intakes; never in production.

Besides one intake of each verdict in each language, a returning patient (`demo_returning`): two
earlier visits with their decisions and treatments, and an open intake linked to the patient.

Idempotent: each demo intake has a fixed submission token, so the submit service returns the one
already stored instead of adding another; people and the clinic profile are created once. The
demo passwords are reset on every run so the credentials printed always work.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from intake import selectors, services
from intake.answers import example_answers
from intake.management.commands.screen import validate_answers
from intake.management.demo_returning import load_returning_patient
from intake.models import ClinicProfile, Intake

# Fixed namespace: the same demo intake gets the same submission token on every run.
DEMO_NAMESPACE = uuid.UUID("6f1d3c1e-5b7a-4c38-9d0e-2a4b8c6e0f11")

# (username, password, group, superuser). Demo passwords, printed by the command, for a laptop.
DEMO_PEOPLE = (
    ("demo_doctor", "demo-doctor-pass", "Doctors", False),
    ("demo_reception", "demo-reception-pass", "Reception", False),
    ("admin", "demo-admin-pass", None, True),
)

CLINIC = {
    "name_ja": "うめだスキンクリニック（デモ）",
    "name_en": "Umeda Skin Clinic (demo)",
    "address_ja": "〒530-0001\n大阪府大阪市北区梅田1-2-3 デモビル5階",
    "address_en": "Demo Building 5F, 1-2-3 Umeda, Kita-ku, Osaka 530-0001",
    "access_ja": "JR大阪駅 中央口から徒歩5分、地下鉄梅田駅 南改札から徒歩3分",
    "access_en": "5 minutes' walk from JR Osaka Station (Central exit), "
    "3 minutes from Umeda subway station (South gate)",
    "opening_hours_ja": "10:00〜19:00（水曜・日曜休診）",
    "opening_hours_en": "10:00–19:00 (closed on Wednesdays and Sundays)",
    "phone": "06-6375-0000",
    "line_id": "@umeda-skin-demo",
}


def _baseline(today: datetime.date) -> dict[str, Any]:
    """The data dictionary's example intake, without its person: each demo intake names its own."""
    return {
        **example_answers(today),
        "full_name": "",
        "full_name_kana": "",
        "email": "",
        "visit_date": today + datetime.timedelta(days=1),
    }


def demo_intakes(today: datetime.date) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(key, language, expected verdict, answers that differ from the baseline) per demo intake."""

    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    return [
        (
            "misaki",
            "ja",
            "suitable",
            {
                "full_name": "佐藤 美咲",
                "full_name_kana": "サトウ ミサキ",
                "email": "misaki.demo@example.jp",
                "visit_date": days(1),
            },
        ),
        (
            "emily",
            "en",
            "suitable",
            {
                "full_name": "Emily Carter",
                "date_of_birth": datetime.date(1990, 8, 22),
                "phone": "+81 90 1234 5678",
                "email": "emily.demo@example.com",
                "visit_date": days(2),
                "skin_type": "combination",
                "phototype": "II",
                "concerns": ["enlarged_pores", "acne_redness"],
                "acne_lesion_count": "none",
            },
        ),
        (
            "yumi",
            "ja",
            "suitable_with_cautions",
            {
                "full_name": "田中 由美",
                "full_name_kana": "タナカ ユミ",
                "date_of_birth": datetime.date(1988, 1, 15),
                "visit_date": days(2),
                "topical_retinoids": ["tretinoin"],
                "topical_retinoid_started": days(-90),
                "medications": ["otc_blood_thinning"],
                "medication_details": "ロキソニン（頭痛のときのみ）",
            },
        ),
        (
            "sophie",
            "en",
            "suitable_with_cautions",
            {
                "full_name": "Sophie Martin",
                "date_of_birth": datetime.date(1984, 11, 3),
                "phone": "+81 80 2345 6789",
                "visit_date": days(3),
                "skin_type": "dry",
                "phototype": "I",
                "concerns": ["atrophic_scars", "fine_lines"],
                "acne_lesion_count": "none",
                "upcoming_event_date": days(10),
            },
        ),
        (
            "ken",
            "ja",
            "needs_review",
            {
                "full_name": "高橋 健",
                "full_name_kana": "タカハシ ケン",
                "date_of_birth": datetime.date(1979, 6, 30),
                "sex": "male",
                "visit_date": days(3),
                "botulinum_before": True,
                "botulinum_last_date": days(-45),
                "botulinum_product": "botox_vista",
            },
        ),
        (
            "olivia",
            "en",
            "needs_review",
            {
                "full_name": "Olivia Chen",
                "date_of_birth": datetime.date(1998, 2, 14),
                "phone": "090-3456-7890",
                "visit_date": days(4),
                "concerns": ["active_acne", "oiliness"],
                "acne_lesion_count": "6_20",
                "topical_retinoids": ["adapalene"],
                "topical_retinoid_started": days(-14),
                "retinoid_irritation": ["redness", "peeling"],
            },
        ),
        (
            "aya",
            "ja",
            "not_suitable",
            {
                "full_name": "鈴木 彩",
                "full_name_kana": "スズキ アヤ",
                "date_of_birth": datetime.date(1992, 9, 9),
                "visit_date": days(5),
                "pregnancy": "possibly_pregnant",
            },
        ),
        (
            "james",
            "en",
            "not_suitable",
            {
                "full_name": "James Wilson",
                "date_of_birth": datetime.date(1975, 12, 1),
                "sex": "male",
                "phone": "+81 70 4567 8901",
                "visit_date": days(6),
                "skin_type": "normal",
                "concerns": ["fine_lines"],
                "acne_lesion_count": "none",
                "neuromuscular": ["myasthenia_gravis"],
            },
        ),
    ]


def _as_json(value: Any) -> Any:
    """An answer as the `screen` command's JSON would give it: validated like the web form."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def _url(base: str, name: str) -> str:
    with translation.override("ja"):
        return base + reverse(name)


class Command(BaseCommand):
    help = "Load a demo clinic, demo staff and demo intakes of every verdict (not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="where the server will run, for the links printed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_data refuses to run in production (DJANGO_ENV=production).")
        today = timezone.localdate()
        with transaction.atomic():
            clinic_created = self.load_clinic()
            self.load_people()
            intakes = self.load_intakes(today)
            returning = load_returning_patient(
                today,
                _baseline(today),
                doctor=User.objects.get(username="demo_doctor"),
                reception=User.objects.get(username="demo_reception"),
            )
        self.report(options["base_url"].rstrip("/"), clinic_created, intakes)
        self.stdout.write(
            f"Returning patient (two earlier visits, treatments, RECORD_MISMATCH): "
            f"{returning.reference}  {returning.current_verdict}"
        )

    def load_clinic(self) -> bool:
        if ClinicProfile.objects.exists():
            return False
        ClinicProfile.objects.create(**CLINIC)
        return True

    def load_people(self) -> None:
        for username, password, group, superuser in DEMO_PEOPLE:
            user, _created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.jp"}
            )
            user.is_staff = True
            user.is_superuser = superuser
            user.is_active = True
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))

    def load_intakes(self, today: datetime.date) -> list[tuple[Intake, str]]:
        consent_document = selectors.current_consent_document(today=today)
        loaded = []
        for key, language, expected, overrides in demo_intakes(today):
            given = {k: _as_json(v) for k, v in {**_baseline(today), **overrides}.items()}
            with translation.override("en"):
                answers, problems = validate_answers(given, today=today, consent_required=True)
            if problems:
                details = "; ".join(f"{k}: {message}" for k, message in problems)
                raise CommandError(f"demo intake {key!r} is not valid: {details}")
            intake = services.intake_submit(
                answers_given=answers,
                language=language,
                consent_document=consent_document,
                submission_token=uuid.uuid5(DEMO_NAMESPACE, key),
            )
            loaded.append((intake, expected))
        return loaded

    def report(self, base: str, clinic_created: bool, intakes: list[tuple[Intake, str]]) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("Demo data loaded (fictitious people; for a laptop only)."))
        if clinic_created:
            write(f"Clinic profile: {CLINIC['name_en']}")
        write("")
        write("Demo intakes (reference · language · visit date · verdict):")
        for intake, expected in intakes:
            mark = "" if intake.verdict == expected else f"  (expected {expected})"
            write(
                f"  {intake.reference}  {intake.language}  {intake.visit_date}  "
                f"{intake.verdict}{mark}"
            )
        write("")
        write("Demo sign-ins (username / password):")
        for username, password, group, superuser in DEMO_PEOPLE:
            role = "superuser, admin site" if superuser else f"group {group}"
            write(f"  {username:<16} {password:<22} {role}")
        write("")
        write("Open:")
        links = (
            ("Patient intake (Japanese)", _url(base, "intake:start")),
            ("Review queue (staff)", _url(base, "review:queue")),
            ("Staff sign-in", _url(base, "login")),
            ("Admin", _url(base, "admin:index")),
        )
        for label, url in links:
            write(f"  {label:<26} {url}")

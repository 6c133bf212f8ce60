"""`manage.py setup_clinic`: the administrator, the first doctor and receptionist, the profile."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from intake.management.commands import setup_clinic
from intake.models import ClinicProfile

ENVIRONMENT = {
    "DJANGO_SUPERUSER_USERNAME": "clinic_admin",
    "DJANGO_SUPERUSER_EMAIL": "admin@clinic.example.jp",
    "DJANGO_SUPERUSER_PASSWORD": "Admin-pass-2026!",
    "CLINIC_DOCTOR_USERNAME": "dr_sato",
    "CLINIC_DOCTOR_PASSWORD": "Doctor-pass-2026!",
    "CLINIC_RECEPTION_USERNAME": "uketsuke",
    "CLINIC_RECEPTION_PASSWORD": "Reception-pass-2026!",
    "CLINIC_NAME_JA": "なんばスキンクリニック",
    "CLINIC_NAME_EN": "Namba Skin Clinic",
    "CLINIC_ADDRESS_JA": "大阪府大阪市中央区難波1-1-1",
    "CLINIC_ADDRESS_EN": "1-1-1 Namba, Chuo-ku, Osaka",
    "CLINIC_PHONE": "06-1234-5678",
    "CLINIC_OPENING_HOURS_JA": "10:00〜19:00",
}


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The environment `--no-input` reads; a test changes it with monkeypatch."""
    for name in [*ENVIRONMENT, "CLINIC_DOCTOR_EMAIL", "CLINIC_RECEPTION_EMAIL", "CLINIC_LINE_ID"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    yield ENVIRONMENT


def setup(*args: str, language: str = "en") -> str:
    out = io.StringIO()
    call_command("setup_clinic", "--no-input", "--language", language, *args, stdout=out)
    return out.getvalue()


def test_no_input_creates_the_administrator_the_doctor_the_receptionist_and_the_profile(
    db: Any, environment: dict[str, str]
) -> None:
    output = setup()

    admin = User.objects.get(username="clinic_admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("Admin-pass-2026!")
    assert admin.email == "admin@clinic.example.jp"
    doctor = User.objects.get(username="dr_sato")
    assert not doctor.is_superuser and doctor.is_staff
    assert list(doctor.groups.values_list("name", flat=True)) == ["Doctors"]
    assert doctor.check_password("Doctor-pass-2026!")
    receptionist = User.objects.get(username="uketsuke")
    assert list(receptionist.groups.values_list("name", flat=True)) == ["Reception"]
    profile = ClinicProfile.objects.get()
    assert (profile.name_ja, profile.name_en) == ("なんばスキンクリニック", "Namba Skin Clinic")
    assert profile.phone == "06-1234-5678"
    assert profile.opening_hours_ja == "10:00〜19:00"
    assert "Administrator clinic_admin: created." in output
    assert "First doctor dr_sato: created." in output
    assert "The clinic is set up." in output


def test_running_it_again_changes_nothing_and_resets_no_password(
    db: Any, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setup()
    ClinicProfile.objects.update(phone="06-9999-0000")  # staff edited it in the admin
    monkeypatch.setenv("CLINIC_DOCTOR_PASSWORD", "Another-pass-2026!")

    output = setup()

    assert User.objects.count() == 3
    assert User.objects.get(username="dr_sato").check_password("Doctor-pass-2026!")
    assert ClinicProfile.objects.get().phone == "06-9999-0000"
    assert "First doctor dr_sato: exists, password unchanged." in output
    assert "Clinic profile: kept as it is" in output


def test_an_existing_account_named_as_the_doctor_joins_the_doctors(
    db: Any, environment: dict[str, str]
) -> None:
    User.objects.create_user("dr_sato", password="Old-pass-2026!")

    setup()

    doctor = User.objects.get(username="dr_sato")
    assert doctor.is_staff and doctor.groups.filter(name="Doctors").exists()
    assert doctor.check_password("Old-pass-2026!")


def test_the_doctor_and_receptionist_are_optional(
    db: Any, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLINIC_DOCTOR_USERNAME")
    monkeypatch.delenv("CLINIC_RECEPTION_USERNAME")

    setup()

    assert list(User.objects.values_list("username", flat=True)) == ["clinic_admin"]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_USERNAME is not set."),
        ("DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_PASSWORD is not set."),
        ("CLINIC_DOCTOR_PASSWORD", "CLINIC_DOCTOR_PASSWORD is not set."),
        ("CLINIC_ADDRESS_EN", "There is no clinic profile yet, and CLINIC_ADDRESS_EN not set."),
    ],
)
def test_a_missing_variable_is_named_and_nothing_is_written(
    db: Any,
    environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    missing: str,
    message: str,
) -> None:
    monkeypatch.delenv(missing)

    with pytest.raises(CommandError, match=message):
        setup()

    assert not User.objects.exists()
    assert not ClinicProfile.objects.exists()


def test_a_weak_password_is_refused_with_the_validators_reasons(
    db: Any, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINIC_DOCTOR_PASSWORD", "12345678")

    with pytest.raises(CommandError, match="CLINIC_DOCTOR_PASSWORD: .*too common"):
        setup()

    assert not User.objects.exists()


def test_an_administrator_already_there_is_enough(
    db: Any, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    User.objects.create_superuser("root_admin", password="Root-pass-2026!")
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME")

    output = setup()

    assert "Administrator: one exists already." in output
    assert User.objects.filter(is_superuser=True).count() == 1


def test_messages_are_in_japanese_by_default(db: Any, environment: dict[str, str]) -> None:
    out = io.StringIO()
    call_command("setup_clinic", "--no-input", stdout=out)

    assert "管理者 clinic_admin：作成しました。" in out.getvalue()
    assert "初期設定が完了しました。" in out.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_interactive_questions_create_everything(
    db: Any, environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(
        [
            "clinic_admin", "",  # administrator, no e-mail
            "dr_sato", "sato@clinic.example.jp",  # doctor
            "",  # no receptionist
            "なんばスキンクリニック", "Namba Skin Clinic", "",  # the address is required...
            "大阪府大阪市中央区難波1-1-1", "1-1-1 Namba, Chuo-ku, Osaka", "06-1234-5678",
            "", "", "", "", "",
        ]
    )  # fmt: skip
    passwords = iter(
        ["Admin-pass-2026!", "Admin-pass-2026!", "short", "short"] + ["Doc-pass-2026!"] * 2
    )
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr(setup_clinic.getpass, "getpass", lambda prompt: next(passwords))
    out, err = io.StringIO(), io.StringIO()

    call_command("setup_clinic", "--language", "en", stdin=Terminal(), stdout=out, stderr=err)

    assert User.objects.get(username="dr_sato").check_password("Doc-pass-2026!")
    assert User.objects.get(username="dr_sato").email == "sato@clinic.example.jp"
    assert ClinicProfile.objects.get().address_ja == "大阪府大阪市中央区難波1-1-1"
    assert "This password is too short." in err.getvalue()
    assert list(answers) == [] and list(passwords) == []


def test_without_a_terminal_it_asks_for_no_input(db: Any) -> None:
    with pytest.raises(CommandError, match="--no-input"):
        call_command("setup_clinic", "--language", "en", stdin=io.StringIO())

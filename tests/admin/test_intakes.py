"""The intakes in the admin (intake/admin/intakes.py): what each role sees, the export."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake.models import AccessRecord, Decision, Intake, Invitation
from intake.patients import services as patient_services
from intake.review import services as review_services


# What each role sees of an intake ---------------------------------------------------------------
def test_a_doctor_sees_every_answer_and_the_screening_read_only_and_the_opening_is_recorded(
    staff_client: Callable[[str], Client], objects: dict[str, Any], doctor: User
) -> None:
    intake = objects["intake"]

    response = staff_client("doctor").get(
        reverse("admin:intake_intake_change", args=[intake.pk]), REMOTE_ADDR="192.0.2.10"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Pregnant" in page  # the answer, as its label
    assert "Contraindicated (no treatment this time)" in page  # the verdict
    assert "PREGNANCY_BREASTFEEDING" in page  # the flag inline
    assert "Pregnant: rebook after breastfeeding." in page  # the decision inline
    assert 'name="about_you-full_name"' not in page and 'name="pregnancy"' not in page
    assert response["Cache-Control"].startswith("max-age=0")
    record = AccessRecord.objects.filter(action=AccessRecord.Action.ADMIN).get()
    assert (record.intake, record.user, record.ip_address) == (intake, doctor, "192.0.2.10")


def test_reception_sees_names_visit_dates_and_status_but_no_medical_answer(
    staff_client: Callable[[str], Client], objects: dict[str, Any], receptionist: User
) -> None:
    intake = objects["intake"]
    client = staff_client("receptionist")

    listing = client.get(reverse("admin:intake_intake_changelist")).content.decode()
    change = client.get(reverse("admin:intake_intake_change", args=[intake.pk])).content.decode()

    for page in (listing, change):
        assert intake.full_name in page
        assert intake.reference in page
        assert "New" in page  # the status
        for medical in ("Contraindicated", "Pregnan", "PREGNANCY", "verdict", "Skin type"):
            assert medical not in page
    assert intake.phone in change
    assert "rebook" not in change  # no decision inline
    assert AccessRecord.objects.filter(action="admin", user=receptionist).count() == 1


def test_the_reception_list_is_in_visit_order_which_says_nothing_of_the_verdicts(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    suitable = make_intake(full_name="先に 来子", visit_date=today + datetime.timedelta(days=1))
    not_suitable = make_intake(
        full_name="後で 来子", visit_date=today + datetime.timedelta(days=2), pregnancy="pregnant"
    )
    url = reverse("admin:intake_intake_changelist")

    for_reception = staff_client("receptionist").get(url).content.decode()
    for_doctor = staff_client("doctor").get(url).content.decode()

    assert for_reception.index(suitable.reference) < for_reception.index(not_suitable.reference)
    assert for_doctor.index(not_suitable.reference) < for_doctor.index(suitable.reference)


@pytest.mark.parametrize(
    "query",
    ["verdict=not_suitable", "pregnancy=pregnant", "suitability=good", "breastfeeding__exact=1"],
)
def test_reception_cannot_filter_the_intake_list_on_answers_or_the_screening(
    query: str, staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    url = f"{reverse('admin:intake_intake_changelist')}?{query}"

    assert staff_client("receptionist").get(url).status_code == 400
    assert staff_client("doctor").get(url).status_code in (200, 302)


def test_the_intake_list_filters_on_the_visit_date(
    staff_client: Callable[[str], Client], make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    todays = make_intake(full_name="今日 来子", visit_date=today)
    make_intake(full_name="来週 来男", visit_date=today + datetime.timedelta(days=8))
    url = reverse("admin:intake_intake_changelist")

    page = staff_client("receptionist").get(f"{url}?visit=today").content.decode()

    assert todays.full_name in page
    assert "来週 来男" not in page


@pytest.mark.parametrize("typed", ["name", "kana", "phone", "reference", "loose reference"])
def test_the_intake_list_is_searched_by_name_kana_phone_and_reference(
    typed: str, staff_client: Callable[[str], Client], make_intake: Callable[..., Intake]
) -> None:
    wanted = make_intake(
        full_name="検索 対象", full_name_kana="ケンサク タイショウ", phone="0311112222"
    )
    other = make_intake(full_name="別の 人")
    term = {
        "name": "検索",
        "kana": "ケンサク",
        "phone": "0311112222",
        "reference": wanted.reference,
        "loose reference": wanted.reference.replace("-", "").lower(),
    }[typed]

    page = (
        staff_client("receptionist")
        .get(reverse("admin:intake_intake_changelist"), {"q": term})
        .content.decode()
    )

    assert wanted.reference in page
    assert other.reference not in page


@pytest.mark.parametrize("role", ["doctor", "superuser"])
def test_nothing_about_an_intake_can_be_changed_in_the_admin(
    role: str, staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    intake = objects["intake"]

    response = staff_client(role).post(
        reverse("admin:intake_intake_change", args=[intake.pk]),
        {"full_name": "Changed", "pregnancy": "not_pregnant", "status": "decided"},
    )

    intake.refresh_from_db()
    assert response.status_code == 403
    assert (intake.full_name, intake.pregnancy, intake.status) == ("山田 花子", "pregnant", "new")


def test_the_administrator_deletes_an_intake_with_its_decisions_and_keeps_the_access_records(
    staff_client: Callable[[str], Client], objects: dict[str, Any], doctor: User
) -> None:
    intake = objects["intake"]
    review_services.intake_decide(
        intake=intake,
        doctor=doctor,
        outcome=Decision.Outcome.DEFERRED,
        note="Asked to call back.",
        acknowledged_flags=["PREGNANCY_BREASTFEEDING"],
        based_on=objects["decision"].pk,
    )
    client = staff_client("superuser")
    url = reverse("admin:intake_intake_delete", args=[intake.pk])
    confirmation = client.get(url).content.decode()

    response = client.post(url, {"post": "yes"})

    assert "Are you sure" in confirmation, confirmation
    assert response.status_code == 302
    assert not Intake.objects.filter(pk=intake.pk).exists()
    assert not Decision.objects.exists()
    # The doctor's opening, and the administrator's reading of the confirmation.
    kept = AccessRecord.objects.filter(intake__isnull=True).order_by("pk")
    assert list(kept.values_list("username", "action")) == [
        ("dr_sato", "detail"),
        ("admin", "admin"),
    ]


def test_the_admin_reads_in_japanese(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    with translation.override("ja"):
        url = reverse("admin:intake_intake_change", args=[objects["intake"].pk])

    page = staff_client("doctor").get(url).content.decode()

    assert "問診管理" in page  # the site header
    assert "妊娠している" in page  # the answer's Japanese label
    assert "禁忌あり（今回は施術しない）" in page


# Export -----------------------------------------------------------------------------------------
def _export(client: Client, action: str, intakes: list[Intake]) -> Any:
    return client.post(
        reverse("admin:intake_intake_changelist"),
        {"action": action, "_selected_action": [intake.pk for intake in intakes]},
        REMOTE_ADDR="192.0.2.20",
    )


def _rows(response: Any) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel needs the byte order mark for UTF-8 Japanese
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def exporter(doctor: User) -> User:
    """A doctor to whom the administrator granted the export."""
    doctor.user_permissions.add(Permission.objects.get(codename="export_intake"))
    return doctor


def test_export_gives_codes_with_english_labels_and_records_each_intake(
    staff_client: Callable[[str], Client],
    exporter: User,
    make_intake: Callable[..., Intake],
) -> None:
    pregnant = make_intake(pregnancy="pregnant", concerns=["oiliness", "active_acne"])
    clean = make_intake(full_name="=HYPERLINK(1)", phone="+81 6 6375 0000")

    response = _export(staff_client("doctor"), "export_csv_en", [pregnant, clean])

    rows = {row["reference"]: row for row in _rows(response)}
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-en.csv"')
    assert rows[pregnant.reference]["pregnancy"] == "pregnant"
    assert rows[pregnant.reference]["pregnancy_label"] == "Pregnant"
    assert rows[pregnant.reference]["concerns"] == "oiliness;active_acne"
    assert rows[pregnant.reference]["verdict"] == "not_suitable"
    assert rows[pregnant.reference]["verdict_label"] == "Contraindicated (no treatment this time)"
    assert "PREGNANCY_BREASTFEEDING" in rows[pregnant.reference]["flags"].split(";")
    assert rows[pregnant.reference]["consent_version"] == pregnant.consent_document.version
    # Spreadsheet formulas in what a patient typed are neutralised.
    assert rows[clean.reference]["full_name"] == "'=HYPERLINK(1)"
    assert rows[clean.reference]["phone"] == "'+81 6 6375 0000"
    records = AccessRecord.objects.filter(action=AccessRecord.Action.EXPORT)
    assert sorted(r.intake_id for r in records) == sorted([pregnant.pk, clean.pk])
    assert {(r.user, r.ip_address) for r in records} == {(exporter, "192.0.2.20")}


def test_export_with_japanese_labels_keeps_the_same_codes(
    staff_client: Callable[[str], Client], exporter: User, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(pregnancy="pregnant", breastfeeding=True)

    response = _export(staff_client("doctor"), "export_csv_ja", [intake])

    (row,) = _rows(response)
    assert row["pregnancy"] == "pregnant"
    assert row["pregnancy_label"] == "妊娠している"
    assert row["breastfeeding"] == "true"
    assert row["breastfeeding_label"] == "はい"
    assert row["verdict_label"] == "禁忌あり（今回は施術しない）"
    assert row["status_label"] == "新規"


@pytest.mark.parametrize("role", ["doctor", "receptionist"])
def test_export_needs_its_own_permission(
    role: str, staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    client = staff_client(role)

    listing = client.get(reverse("admin:intake_intake_changelist")).content.decode()
    response = _export(client, "export_csv_en", [objects["intake"]])

    assert "export_csv_en" not in listing
    assert response.get("Content-Type", "").startswith("text/html")
    assert not AccessRecord.objects.filter(action=AccessRecord.Action.EXPORT).exists()


# Every admin page that shows an intake's answers, flags or decisions is recorded ---------------
def test_the_decision_page_records_an_opening_of_its_intake(
    staff_client: Callable[[str], Client], objects: dict[str, Any], doctor: User
) -> None:
    decision = objects["decision"]
    AccessRecord.objects.all().delete()

    response = staff_client("doctor").get(
        reverse("admin:intake_decision_change", args=[decision.pk]), REMOTE_ADDR="192.0.2.11"
    )

    assert response.status_code == 200
    assert "Pregnant: rebook after breastfeeding." in response.content.decode()
    record = AccessRecord.objects.get()
    assert (record.intake, record.user, record.action, record.ip_address) == (
        objects["intake"],
        doctor,
        AccessRecord.Action.ADMIN,
        "192.0.2.11",
    )


def test_the_decision_history_page_records_an_opening_of_its_intake(
    staff_client: Callable[[str], Client], objects: dict[str, Any], doctor: User
) -> None:
    AccessRecord.objects.all().delete()

    response = staff_client("doctor").get(
        reverse("admin:intake_decision_history", args=[objects["decision"].pk])
    )

    assert response.status_code == 200
    assert list(AccessRecord.objects.values_list("intake", "user", "action")) == [
        (objects["intake"].pk, doctor.pk, "admin")
    ]


def test_the_delete_confirmation_of_an_intake_shows_its_flags_and_is_recorded(
    staff_client: Callable[[str], Client], objects: dict[str, Any], superuser: User
) -> None:
    intake = objects["intake"]

    page = staff_client("superuser").get(reverse("admin:intake_intake_delete", args=[intake.pk]))

    assert "PREGNANCY_BREASTFEEDING" in page.content.decode()
    assert list(AccessRecord.objects.filter(user=superuser).values_list("intake", "action")) == [
        (intake.pk, "admin")
    ]


def test_the_confirmation_of_delete_selected_records_each_intake_shown(
    staff_client: Callable[[str], Client],
    objects: dict[str, Any],
    superuser: User,
    make_intake: Callable[..., Intake],
) -> None:
    other = make_intake(keloid_history=True)
    chosen = [objects["intake"], other]

    page = staff_client("superuser").post(
        reverse("admin:intake_intake_changelist"),
        {"action": "delete_selected", "_selected_action": [intake.pk for intake in chosen]},
        REMOTE_ADDR="192.0.2.12",
    )

    assert page.status_code == 200
    assert "KELOID" in page.content.decode()
    records = AccessRecord.objects.filter(user=superuser)
    assert sorted(records.values_list("intake", flat=True)) == sorted(i.pk for i in chosen)
    assert {(r.action, r.ip_address) for r in records} == {("admin", "192.0.2.12")}
    assert Intake.objects.filter(pk__in=[i.pk for i in chosen]).count() == 2


def test_confirmed_delete_selected_deletes_and_records_no_reading_of_its_own(
    staff_client: Callable[[str], Client], objects: dict[str, Any], superuser: User
) -> None:
    intake = objects["intake"]

    response = staff_client("superuser").post(
        reverse("admin:intake_intake_changelist"),
        {"action": "delete_selected", "_selected_action": [intake.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Intake.objects.filter(pk=intake.pk).exists()
    assert not AccessRecord.objects.filter(user=superuser).exists()


# History that can't be rewritten -----------------------------------------------------------
def test_no_one_can_delete_a_decision_in_the_admin(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    decision = objects["decision"]
    client = staff_client("superuser")

    page = client.get(reverse("admin:intake_decision_delete", args=[decision.pk]))
    posted = client.post(
        reverse("admin:intake_decision_delete", args=[decision.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:intake_decision_changelist"),
        {"action": "delete_selected", "_selected_action": [decision.pk], "post": "yes"},
    )
    listing = client.get(reverse("admin:intake_decision_changelist")).content.decode()

    assert (page.status_code, posted.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)
    assert 'value="delete_selected"' not in listing
    assert Decision.objects.filter(pk=decision.pk).exists()


# Erasure: an intake deleted in the admin goes with its invitation, and the admin's log keeps no
# trace of whose it was -----------------------------------------------------------------------
def test_deleting_an_intake_in_the_admin_deletes_its_invitation_and_says_so_first(
    staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    intake, invitation = objects["intake"], objects["used_invitation"]
    Intake.objects.filter(pk=intake.pk).update(invitation=invitation)
    client = staff_client("superuser")
    url = reverse("admin:intake_intake_delete", args=[intake.pk])

    confirmation = client.get(url).content.decode()
    client.post(url, {"post": "yes"})

    assert "Invitation:" in confirmation
    assert "使用 済子" not in confirmation
    assert not Intake.objects.filter(pk=intake.pk).exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_the_admin_log_keeps_who_deleted_an_intake_but_not_whose_it_was(
    staff_client: Callable[[str], Client],
    objects: dict[str, Any],
    superuser: User,
    today: datetime.date,
) -> None:
    intake = objects["intake"]
    client = staff_client("superuser")
    visit = today + datetime.timedelta(days=11)
    client.post(
        reverse("admin:intake_invitation_add"),
        {"full_name": "記録 消子", "phone": "090-0000-0009", "visit_date": visit, "language": "ja"},
    )
    invitation = Invitation.objects.get(full_name="記録 消子")
    Intake.objects.filter(pk=intake.pk).update(invitation=invitation)
    unrelated = objects["invitation"]
    client.post(
        reverse("admin:intake_invitation_change", args=[unrelated.pk]),
        {
            "full_name": unrelated.full_name,
            "phone": "090-0000-0008",
            "visit_date": unrelated.visit_date,
            "language": "ja",
        },
    )

    client.post(reverse("admin:intake_intake_delete", args=[intake.pk]), {"post": "yes"})

    deletion = LogEntry.objects.get(action_flag=DELETION)
    assert (deletion.user, deletion.content_type.model) == (superuser, "intake")
    assert (deletion.object_id, deletion.object_repr) == (None, "—")
    logged = " ".join(
        f"{entry.object_id} {entry.object_repr} {entry.change_message}"
        for entry in LogEntry.objects.all()
    )
    for trace in (intake.reference, intake.full_name, "記録 消子", visit.isoformat()):
        assert trace not in logged
    # Another invitation's history is left as it was.
    assert LogEntry.objects.filter(object_id=str(unrelated.pk), action_flag=CHANGE).exists()


# The current result (spec §5: re-screened when linked, treated or given an appointment) ----------
def test_the_doctors_intake_list_shows_and_filters_on_the_current_result(
    staff_client: Callable[[str], Client], returning: dict[str, Any], receptionist: User
) -> None:
    current = returning["current"]
    patient_services.intake_link(intake=current, patient=returning["patient"], by=receptionist)
    client = staff_client("doctor")
    changelist = reverse("admin:intake_intake_changelist")

    page = client.get(changelist).content.decode()
    filtered = client.get(changelist, {"current_verdict__exact": "needs_review"})

    # Submitted "No issues found", re-screened "Needs review" once linked to the patient.
    assert current.verdict == "suitable"
    assert 'class="field-current_verdict">Needs review</td>' in page
    assert 'class="field-current_suitability">' in page
    assert "By current verdict" in page and "By current suitability" in page
    assert [intake.pk for intake in filtered.context["cl"].result_list] == [current.pk]


def test_the_intake_page_in_the_admin_shows_the_current_result(
    staff_client: Callable[[str], Client], returning: dict[str, Any], receptionist: User
) -> None:
    current = returning["current"]
    patient_services.intake_link(intake=current, patient=returning["patient"], by=receptionist)

    page = (
        staff_client("doctor")
        .get(reverse("admin:intake_intake_change", args=[current.pk]))
        .content.decode()
    )

    assert "Current result" in page
    assert "No issues found" in page and "Needs review" in page

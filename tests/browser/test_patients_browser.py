"""The patient record in a real browser (Chromium): a doctor links today's intake to the patient
the app suggests, sees the history, the changed answers and the flags the clinic's record raised,
approves, and records the treatment given (a wrong number of units first, explained). axe-core
checks every new page, in Japanese and in English.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake.models import AccessRecord, Intake, Patient, Rescreening, Treatment
from intake.patients import services as patient_services
from tests.browser.helpers import assert_no_browser_problems, axe_check
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def path(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def sign_in(page: Any, user: User) -> None:
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


@pytest.fixture
def returning_patient(
    transactional_db: Any,
    submit_on: Callable[..., Intake],
    patient: Patient,
    receptionist: User,
    record_treatment: Callable[..., Treatment],
) -> dict[str, Any]:
    """山田 花子, treated 60 days ago at an earlier visit; today's intake, not linked yet, says
    no toxin before and combination skin (oily before)."""
    today = timezone.localdate()
    earlier = submit_on(60)
    patient_services.intake_link(intake=earlier, patient=patient, by=receptionist)
    Intake.objects.filter(pk=earlier.pk).update(status=Intake.Status.DECIDED)
    record_treatment(patient, today - datetime.timedelta(days=60), intake=earlier)
    current = submit_on(0, visit_date=today + datetime.timedelta(days=3), skin_type="combination")
    return {"patient": patient, "earlier": earlier, "current": current}


def expect_refused(page: Any) -> None:
    # A refused form comes back as 400 Bad Request, which Chromium reports on its console.
    assert page.problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.problems.clear()


def test_a_doctor_links_the_suggested_patient_sees_the_history_and_records_a_treatment(
    page: Any, doctor: User, returning_patient: dict[str, Any]
) -> None:
    current, patient = returning_patient["current"], returning_patient["patient"]
    earlier = returning_patient["earlier"]

    page.goto(path("ja", "review:intake", reference=current.reference))
    sign_in(page, doctor)
    record = page.locator("#patient-record")
    expect(record).to_contain_text("患者記録に紐づいていません")
    expect(record).to_contain_text("同一人物の候補 1件")
    expect(page.locator("#flag-RECORD_MISMATCH")).to_have_count(0)

    # The visit page suggests the patient; nothing is linked until the doctor says so.
    record.get_by_role("link", name="患者記録に紐づける").click()
    expect(page.get_by_role("heading", name="同一人物の候補")).to_be_visible()
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("ヤマダ ハナコ")
    axe_check(page)
    assert Intake.objects.get(pk=current.pk).patient is None
    suggestions.get_by_role("button", name=re.compile("この患者に紐づける")).click()
    expect(
        page.get_by_role("status").filter(has_text="問診を患者記録に紐づけました。")
    ).to_be_visible()
    expect(page.locator("#linked-patient")).to_contain_text(patient.full_name)
    axe_check(page)

    # The intake page: the current result, why it changed, the history and the changes.
    page.get_by_role("link", name="問診を開く").click()
    expect(page.locator("#rescreening")).to_contain_text("患者記録に紐づけたため")
    expect(page.locator("#current-verdict")).to_contain_text("要医師確認")
    expect(page.locator("#flag-RECORD_MISMATCH")).to_be_visible()
    expect(page.locator("#flag-RECENT_TOXIN")).to_be_visible()
    expect(page.locator("#earlier-intakes")).to_contain_text(earlier.reference)
    changes = page.locator("#answer-changes")
    expect(changes.locator('tr[data-key="skin_type"]')).to_contain_text("脂性肌")
    expect(changes.locator('tr[data-key="skin_type"]')).to_contain_text("混合肌")
    expect(page.locator("#treatments")).to_contain_text("ボトックスビスタ")
    axe_check(page)

    acknowledgements = page.locator('input[type="checkbox"][name^="ack_"]')
    expect(acknowledgements).to_have_count(2)
    for index in range(acknowledgements.count()):
        acknowledgements.nth(index).check()
    page.get_by_label("施術可", exact=True).check()
    page.get_by_role("button", name="判断を登録する").click()
    expect(page.get_by_role("status").filter(has_text="判断を登録しました。")).to_be_visible()

    # The treatment: a wrong number of units is explained, nothing typed is lost.
    page.get_by_role("link", name="行った施術を記録").click()
    expect(page.get_by_role("heading", name="施術を記録")).to_be_visible()
    axe_check(page)
    page.get_by_label("製剤").select_option("botox_vista")
    page.get_by_label("ロット番号").fill("c5678b")
    page.get_by_label(re.compile("希釈")).fill("5")
    page.get_by_label("総単位数").fill("2400")
    page.get_by_label("頬").check()
    page.get_by_label("額").check()
    page.get_by_role("button", name="施術を記録する").click()
    expect(
        page.get_by_text(re.compile("総単位数を0.5〜500の範囲で入力してください")).first
    ).to_be_visible()
    expect(page.get_by_label("ロット番号")).to_have_value("c5678b")
    expect(page.get_by_label("頬")).to_be_checked()
    expect_refused(page)
    axe_check(page)
    assert not Treatment.objects.filter(intake=current).exists()

    page.get_by_label("総単位数").fill("２２．５")
    page.get_by_role("button", name="施術を記録する").click()
    expect(page.get_by_role("status").filter(has_text="施術を記録しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(patient.full_name))).to_be_visible()
    expect(page.locator("#treatments")).to_contain_text("22.5 U")
    expect(page.locator("#visits")).to_contain_text(current.reference)
    axe_check(page)

    treatment = Treatment.objects.get(intake=current)
    assert (treatment.total_units, treatment.lot_number, treatment.areas) == (
        22.5,
        "C5678B",
        ["forehead", "cheeks"],  # the dictionary's order
    )
    assert Rescreening.objects.get(intake=current).requested_by == doctor
    assert AccessRecord.objects.filter(patient=patient, action="patient").exists()
    assert_no_browser_problems(page)


def test_the_new_pages_in_english_pass_axe(
    page: Any, doctor: User, returning_patient: dict[str, Any], receptionist: User
) -> None:
    current, patient = returning_patient["current"], returning_patient["patient"]
    page.goto(path("en", "login"))
    sign_in_en(page, doctor)

    page.goto(path("en", "patients:visit", reference=current.reference))
    expect(page.get_by_role("heading", name="Possible matches")).to_be_visible()
    axe_check(page)
    patient_services.intake_link(intake=current, patient=patient, by=receptionist)

    for target, heading in (
        (path("en", "patients:list"), "Patients"),
        (path("en", "patients:detail", pk=patient.pk), patient.full_name),
        (path("en", "patients:treatment_new", pk=patient.pk), "Record a treatment"),
        (path("en", "review:intake", reference=current.reference), patient.full_name),
        (path("en", "patients:visit", reference=current.reference), "Patient record"),
    ):
        page.goto(target)
        expect(
            page.get_by_role("heading", name=re.compile(re.escape(heading))).first
        ).to_be_visible()
        axe_check(page)
    expect(page.locator("#linked-patient")).to_contain_text(patient.full_name)

    # A bad appointment date is explained in English and the page passes axe as well.
    page.get_by_label("Appointment date").fill("2020-01-01")
    page.get_by_role("button", name="Save the appointment date").click()
    refusal = re.compile("can't be before the day the questionnaire was sent")
    # In the error summary, which takes the focus, and under the field.
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(page.locator("#appointment-form .invalid-feedback")).to_contain_text(refusal)
    expect_refused(page)
    axe_check(page)
    assert_no_browser_problems(page)


def sign_in_en(page: Any, user: User) -> None:
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

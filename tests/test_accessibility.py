"""What every room's pages say to assistive technology and the keyboard, read from their HTML:
the wizard's default button and progress, radio groups and required marks, the error summary of
every form, the staff's header, the queue's table and the intake page's headings.

The browser tests (tests/browser/test_accessibility_*.py) check the same in Chromium, with the
keyboard and the accessibility tree.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from intake import answers
from intake.models import Patient
from tests.helpers import PASSWORD, step_url
from tests.wizard_http import step_post_data

CURRENT_STEP = "intake_wizard-current_step"
STEPS = [step.name for step in answers.STEPS]

pytestmark = pytest.mark.django_db


def submit_buttons(html: str) -> list[str]:
    """The page's submit buttons of the wizard's form, in the page's order."""
    form = re.search(r'<form method="post" id="wizard-form"', html)
    assert form
    buttons = []
    for match in re.finditer(r"<button\b[^>]*>", html):
        tag = match.group(0)
        inside = match.start() > form.start() and match.start() < html.index(
            "</form>", form.start()
        )
        if 'type="submit"' in tag and ('form="wizard-form"' in tag or inside):
            buttons.append(tag)
    return buttons


def title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return " ".join(match.group(1).split())


def error_summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary"
    assert 'role="alert"' in match.group(0) and 'id="error-summary"' in match.group(0)
    return match.group(0)


# The patient's wizard ----------------------------------------------------------------------------
def test_enter_on_every_step_presses_a_hidden_next_before_the_language_switch(
    client: Client, valid_answers: dict[str, Any]
) -> None:
    """A form's default button (what Enter presses) is the first of its submit buttons in the
    page; the language switch in the header, which also submits the step, comes after it."""
    for step in STEPS:
        buttons = submit_buttons(client.get(step_url(step, "ja")).content.decode())
        default = buttons[0]
        assert 'id="default-next"' in default, step
        assert "name=" not in default, step  # a plain submit: the wizard's Next
        assert 'aria-hidden="true"' in default and 'tabindex="-1"' in default, step
        assert any('name="switch_language"' in button for button in buttons[1:]), step
        response = client.post(step_url(step, "ja"), step_post_data(step, valid_answers))
        assert response.status_code == 302, step

    # The review page has no field to press Enter in, and its send button is its own.
    assert 'id="default-next"' not in client.get(step_url("review", "ja")).content.decode()


def test_the_progress_bar_says_which_step_in_words(client: Client) -> None:
    page = client.get(step_url("about_you", "ja")).content.decode()

    bar = re.search(r'<div class="progress[^"]*" role="progressbar"[^>]*>', page)
    assert bar and 'aria-valuetext="ステップ 1 / 6"' in bar.group(0)


def test_a_group_of_radio_buttons_is_a_radiogroup_that_says_it_must_be_answered(
    client: Client,
) -> None:
    page = client.get(step_url("about_you")).content.decode()

    sex = re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*Sex", page)
    assert sex
    assert 'role="radiogroup"' in sex.group(0)
    assert 'aria-required="true"' in sex.group(0)
    assert 'aria-invalid="false"' in sex.group(0)


def test_a_question_required_whenever_it_is_shown_has_the_required_mark(
    client: Client, valid_answers: dict[str, Any]
) -> None:
    client.post(step_url("about_you"), step_post_data("about_you", valid_answers))
    client.post(step_url("skin"), step_post_data("skin", valid_answers))
    page = client.get(step_url("retinoids")).content.decode()

    label = re.search(
        r'<label\s+for="id_retinoids-isotretinoin_last_dose"[^>]*>(.*?)</label>', page, re.S
    )
    assert label and "requiredField" in label.group(0)
    assert '<span class="asteriskField">*</span>' in label.group(1)
    assert re.search(r'<input[^>]*name="retinoids-isotretinoin_last_dose"[^>]*aria-required', page)


def test_a_step_with_errors_says_so_in_its_title_and_summary(client: Client) -> None:
    response = client.post(step_url("about_you", "ja"), {CURRENT_STEP: "about_you"}, follow=True)
    page = response.content.decode()

    assert title(page).startswith("エラー：")
    assert "氏名" in error_summary(page)
    assert 'aria-invalid="true"' in page


def test_a_step_without_errors_has_a_plain_title(client: Client) -> None:
    page = client.get(step_url("about_you", "ja")).content.decode()

    assert title(page).startswith("基本情報")
    assert "error-summary" not in page


# The staff's forms -------------------------------------------------------------------------------
def test_a_refused_sign_in_is_announced_and_tied_to_both_fields(
    client: Client, doctor: User
) -> None:
    response = client.post(reverse("login"), {"username": doctor.username, "password": "wrong"})
    page = response.content.decode()

    assert title(page).startswith("Error:")
    assert "correct username and password" in error_summary(page)
    for name in ("username", "password"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert field, name
        assert 'aria-invalid="true"' in field.group(0), name
        assert re.search(r'aria-describedby="[^"]*\berror-summary\b', field.group(0)), name


def test_the_sign_in_page_before_a_try_says_nothing_is_wrong(client: Client, db: Any) -> None:
    page = client.get(reverse("login")).content.decode()

    assert "error-summary" not in page
    assert 'aria-invalid="true"' not in page
    assert not title(page).startswith("Error")


def test_a_refused_decision_has_the_error_summary_and_says_so_in_its_title(
    doctor_client: Client, make_intake: Any
) -> None:
    intake = make_intake(keloid_history=True)
    response = doctor_client.post(
        reverse("review:decide", kwargs={"reference": intake.reference}), {"outcome": "deferred"}
    )
    page = response.content.decode()

    assert response.status_code == 400
    assert title(page).startswith("Error:")
    summary = error_summary(page)
    assert 'href="#id_ack_KELOID"' in summary
    assert 'href="#id_note"' in summary
    assert "Acknowledge every contraindication and review flag" in summary
    # Said once: in the summary, not again by crispy above the fields.
    assert page.count("Acknowledge every contraindication and review flag") == 1


def test_a_refused_invitation_has_the_error_summary(reception_client: Client) -> None:
    response = reception_client.post(reverse("invitations:reception"), {"language": "ja"})
    page = response.content.decode()

    assert title(page).startswith("Error:")
    summary = error_summary(page)
    assert 'href="#id_full_name"' in summary
    assert "Enter a phone number or an email address." in summary


def test_a_refused_treatment_record_has_the_error_summary(
    doctor_client: Client, patient: Patient
) -> None:
    response = doctor_client.post(
        reverse("patients:treatment_new", kwargs={"pk": patient.pk}), {"product": ""}
    )
    page = response.content.decode()

    assert title(page).startswith("Error:")
    assert 'href="#id_treated_on"' in error_summary(page)


def test_a_refused_appointment_date_has_the_error_summary(
    reception_client: Client, make_intake: Any
) -> None:
    intake = make_intake()
    response = reception_client.post(
        reverse("patients:appointment", kwargs={"reference": intake.reference}),
        {"appointment_date": "not a date"},
    )
    page = response.content.decode()

    assert title(page).startswith("Error:")
    assert 'href="#id_appointment_date"' in error_summary(page)


# The staff's pages -------------------------------------------------------------------------------
def nav_labels(html: str) -> list[str]:
    return re.findall(r'<nav aria-label="([^"]*)"', html)


def test_the_staff_menu_is_named_as_such_and_the_headers_nav_as_the_language_switch(
    doctor_client: Client, reception_client: Client, client: Client
) -> None:
    """The header holds only the language switch; the staff's pages are in a menu of their own."""
    queue = doctor_client.get(reverse("review:queue")).content.decode()
    reception = reception_client.get(reverse("invitations:reception")).content.decode()
    patient = client.get(step_url("about_you")).content.decode()

    assert nav_labels(queue)[:2] == nav_labels(reception) == ["Language", "Staff menu"]
    assert nav_labels(patient) == ["Language"]


def test_the_queue_says_its_order_and_each_flags_title_in_text(
    doctor_client: Client, reception_client: Client, make_intake: Any
) -> None:
    make_intake(keloid_history=True)
    page = doctor_client.get(reverse("review:queue")).content.decode()

    assert re.search(r"<caption[^>]*>\s*Most urgent verdict first", page)
    chip = re.search(r'<span class="flag-chip[^"]*"[^>]*>(.*?)</span></span>', page)
    assert chip
    # The title in the reader's language, in text; the rule's code after it, marked as English.
    assert re.search(r'<span class="flag-chip-title">\s*Tendency to keloids', chip.group(1))
    assert chip.group(1).endswith('<span class="flag-chip-code" lang="en">KELOID')
    reception = reception_client.get(reverse("review:queue")).content.decode()
    assert re.search(r"<caption[^>]*>\s*By visit date, soonest first", reception)


def test_the_intake_pages_answer_sections_are_headings_under_answers(
    doctor_client: Client, make_intake: Any
) -> None:
    intake = make_intake()
    page = doctor_client.get(
        reverse("review:intake", kwargs={"reference": intake.reference})
    ).content.decode()

    answers_part = page[page.index('id="answers-title"') :]
    assert re.search(r'<h3 class="h5 mb-1" id="section-about_you">', answers_part)
    assert not re.search(r'<h2[^>]*id="section-', page)


def test_the_intake_pages_flag_codes_are_marked_as_english(
    doctor_client: Client, make_intake: Any
) -> None:
    intake = make_intake(keloid_history=True)
    with translation.override("ja"):
        path = reverse("review:intake", kwargs={"reference": intake.reference})
    page = doctor_client.get(path).content.decode()

    assert '<span class="flag-code" lang="en">KELOID</span>' in page


def test_the_decision_form_keeps_its_draft_under_this_intake_and_doctor(
    doctor: User, make_intake: Any
) -> None:
    client = Client()
    client.post(reverse("login"), {"username": doctor.username, "password": PASSWORD})
    intake = make_intake()
    page = client.get(
        reverse("review:intake", kwargs={"reference": intake.reference})
    ).content.decode()

    form = re.search(r'<form[^>]*id="decision-form"[^>]*>', page)
    assert form
    assert f'data-draft-key="decision:{intake.reference}:{doctor.pk}"' in form.group(0)
    assert "data-draft-shown" not in form.group(0)

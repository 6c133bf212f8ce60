"""intake.views: the patient's wizard, the confirmation, the home redirect and /healthz."""

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape

from intake import answers, screening, selectors
from intake.models import ClinicProfile, ConsentDocument, FlagText, Intake, Invitation
from intake.selectors import answer_display
from tests.helpers import step_url as url
from tests.wizard_http import (
    SESSION_KEY,
    review_page_fields,
    review_post_data,
    stored_review_fields,
    wizard_session_data,
)

CURRENT_STEP = "intake_wizard-current_step"
STEPS = [step.name for step in answers.STEPS]

pytestmark = pytest.mark.django_db


def start_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:start")


def welcome_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:welcome")


def step_answers(today: datetime.date) -> dict[str, dict[str, Any]]:
    """A complete intake as the pages post it, step by step (a recent retinoid, a past toxin)."""
    return {
        "about_you": {
            "full_name": "山田 花子",
            "full_name_kana": "ﾔﾏﾀﾞ ﾊﾅｺ",
            "date_of_birth": "１９９５－０４－１０",
            "sex": "female",
            "phone": "０６－６３７５－００００",
            "email": "hanako@example.jp",
            "visit_date": (today + datetime.timedelta(days=10)).isoformat(),
        },
        "skin": {
            "skin_type": "combination",
            "phototype": "III",
            "concerns": ["oiliness", "atrophic_scars"],
            "acne_lesion_count": "1_5",
            "keloid_history": "false",
        },
        "retinoids": {
            "topical_retinoids": ["tretinoin"],
            "topical_retinoid_started": (today - datetime.timedelta(days=60)).isoformat(),
            "isotretinoin": "never",
        },
        "treatments": {
            "botulinum_before": "true",
            "botulinum_last_date": (today - datetime.timedelta(days=200)).isoformat(),
            "botulinum_product": "botox_vista",
        },
        "health": {
            "pregnancy": "not_pregnant",
            "breastfeeding": "false",
            "planning_pregnancy": "false",
            "allergies": ["other"],
            "allergy_details": "卵",
        },
        "consent": {"consent_privacy": "on", "consent_off_label": "on", "confirm_accurate": "on"},
    }


@pytest.fixture
def filled(today: datetime.date) -> dict[str, dict[str, Any]]:
    return step_answers(today)


@pytest.fixture
def started(client: Client, filled: dict[str, dict[str, Any]]) -> Client:
    """A patient who has answered the first step: the later pages have answers to continue."""
    fill_steps(client, filled, until="skin")
    return client


def post_step(
    client: Client,
    step: str,
    data: dict[str, Any],
    *,
    language: str = "en",
    **extra: Any,
) -> Any:
    """POST one page: its answers under the step's prefix, plus `extra` fields as they are."""
    payload: dict[str, Any] = {CURRENT_STEP: step}
    payload.update({f"{step}-{key}": value for key, value in data.items() if value is not None})
    payload.update(extra)
    return client.post(url(step, language), payload)


def fill_steps(
    client: Client,
    filled: dict[str, dict[str, Any]],
    *,
    language: str = "en",
    until: str | None = None,
) -> None:
    """Answer the steps in order, each one accepted, up to (not including) `until`."""
    for step in STEPS:
        if step == until:
            return
        response = post_step(client, step, filled[step], language=language)
        assert response.status_code == 302, (step, form_errors(response))


def form_errors(response: Any) -> dict[str, Any]:
    if response.context is None:
        return {}
    return dict(response.context["wizard"]["form"].errors)


def review_form(client: Client, language: str = "en") -> dict[str, str]:
    """GET the review page; its form's hidden fields (the token, the digest of what it shows)."""
    page = client.get(url("review", language))
    assert page.status_code == 200
    return hidden_review_fields(page.text)


def hidden_review_fields(html: str) -> dict[str, str]:
    fields = review_page_fields(html)
    assert re.fullmatch(r"[0-9a-f-]{36}", fields.get("review-submission_token", ""))
    assert re.fullmatch(r"[0-9a-f]{64}", fields.get("review-answers_digest", ""))
    return fields


def submit(client: Client, shown: dict[str, str], *, language: str = "en") -> Any:
    """The review page's "Send" with the hidden fields `shown` (see review_form)."""
    return client.post(url("review", language), {CURRENT_STEP: "review", **shown})


def complete_intake(
    client: Client, filled: dict[str, dict[str, Any]], *, language: str = "en"
) -> Intake:
    fill_steps(client, filled, language=language)
    response = submit(client, review_form(client, language), language=language)
    intake = Intake.objects.get()
    assert response.status_code == 302
    with translation.override(language):
        assert response["Location"] == reverse(
            "intake:submitted", kwargs={"reference": intake.reference}
        )
    return intake


def field_value(response: Any, step: str, key: str) -> Any:
    """What a page's form shows for `key`: the bound value the browser gets back."""
    return response.context["wizard"]["form"][key].value()


def wrapper_classes(html: str, step: str, key: str) -> str:
    """The classes of the wrapper around a question (crispy's `div_id_<prefix>-<key>`)."""
    match = re.search(rf'<div[^>]*id="div_id_{step}-{key}"[^>]*>', html)
    assert match, f"no wrapper for {step}-{key}"
    classes = re.search(r'class="([^"]*)"', match.group(0))
    return classes.group(1) if classes else ""


# Entry -------------------------------------------------------------------------------------------
def test_the_site_root_goes_to_the_japanese_intake_by_default(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == welcome_url("ja")


def test_the_site_root_goes_to_the_english_intake_for_an_english_browser(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == welcome_url("en")


def test_the_start_of_the_intake_is_the_first_step(client: Client) -> None:
    response = client.get(start_url("ja"))
    assert response.status_code == 302
    assert response["Location"] == url("about_you", "ja")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_step_page_shows_its_name_and_its_number_of_six(
    started: Client, language: str
) -> None:
    for number, step in enumerate(answers.STEPS, start=1):
        page = started.get(url(step.name, language))
        assert page.status_code == 200
        assert f'<html lang="{language}">' in page.text
        assert step.label.in_language(language) in page.text
        expected = f"ステップ {number} / 6" if language == "ja" else f"Step {number} of 6"
        assert expected in page.text


def test_each_question_is_asked_in_the_pages_language(started: Client) -> None:
    japanese = started.get(url("skin", "ja")).text
    english = started.get(url("skin", "en")).text
    assert "肌タイプ" in japanese and "脂性肌" in japanese
    assert "Skin type" in english and "Oily" in english


def test_the_consent_page_shows_the_current_consent_text_and_its_version(
    started: Client,
) -> None:
    current = selectors.current_consent_document()
    page = started.get(url("consent", "ja"))
    assert current.title_ja in page.text
    assert f"第{current.version}版" in page.text
    english = started.get(url("consent", "en"))
    assert current.title_en in english.text


def test_intake_pages_are_never_cached(client: Client, filled: dict[str, Any]) -> None:
    for step in STEPS:
        response = client.get(url(step))
        assert "no-store" in response["Cache-Control"]
        assert "no-cache" in response["Cache-Control"]
    fill_steps(client, filled)
    review = client.get(url("review"))
    assert "no-store" in review["Cache-Control"]
    confirmation = client.get(submit(client, review_form(client))["Location"])
    assert "no-store" in confirmation["Cache-Control"]
    assert "no-cache" in confirmation["Cache-Control"]


# The whole intake ---------------------------------------------------------------------------------
def test_the_whole_intake_in_japanese_ends_on_a_confirmation_with_the_reference_and_notes(
    client: Client, filled: dict[str, Any], today: datetime.date
) -> None:
    intake = complete_intake(client, filled, language="ja")

    assert intake.language == "ja"
    assert intake.full_name_kana == "ヤマダ ハナコ"
    assert intake.phone == "06-6375-0000"
    assert intake.date_of_birth == datetime.date(1995, 4, 10)
    assert intake.reference_date == today + datetime.timedelta(days=10)
    assert [flag.code for flag in intake.flags.all()] == [
        "TOPICAL_RETINOID",
        "OFF_LABEL",
        "LIMITED_BENEFIT_SCARS",
    ]

    with translation.override("ja"):
        page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference}))
    assert page.status_code == 200
    assert intake.reference in page.text
    for code in ("TOPICAL_RETINOID", "OFF_LABEL", "LIMITED_BENEFIT_SCARS"):
        assert screening.RULES_BY_CODE[code].patient_note.ja in page.text
        assert screening.RULES_BY_CODE[code].patient_note.en not in page.text
    assert "受付でこの番号をお伝えください" in page.text


def test_the_whole_intake_in_english_ends_on_a_confirmation_in_english(
    client: Client, filled: dict[str, Any]
) -> None:
    intake = complete_intake(client, filled, language="en")
    assert intake.language == "en"
    page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference}))
    assert intake.reference in page.text
    for flag in intake.flags.all():
        note = screening.RULES_BY_CODE[flag.code].patient_note
        assert note.en in page.text
        assert note.ja not in page.text
    assert "Please give this code to reception when you arrive." in page.text


def test_the_confirmation_never_shows_the_verdict_or_the_doctors_notes(
    client: Client, filled: dict[str, Any]
) -> None:
    filled["health"]["pregnancy"] = "pregnant"
    filled["health"]["allergies"] = ["lidocaine"]
    intake = complete_intake(client, filled)
    assert intake.verdict == "not_suitable"

    page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference})).text
    for label in answers.VERDICT_LABELS.values():
        assert label.en not in page
        assert label.ja not in page
    for code in ("not_suitable", "needs_review", "contraindication", "LIDOCAINE_ALLERGY"):
        assert code not in page
    for flag in intake.flags.all():
        assert flag.clinician_note_en not in page
        assert flag.title_en not in page
    # The notes that apply to the patient are there: pregnancy waits, lidocaine has none.
    assert screening.RULES_BY_CODE["PREGNANCY_BREASTFEEDING"].patient_note.en in page


def test_the_confirmation_shows_the_general_notes_in_the_patients_language(
    client: Client, filled: dict[str, Any]
) -> None:
    intake = complete_intake(client, filled, language="ja")
    note = "Do not rub or massage the treated area for 24 hours."
    with translation.override("ja"):
        japanese = translation.gettext(note)
        page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference}))
    assert japanese != note
    assert japanese in page.text
    assert note not in page.text


def test_the_confirmation_shows_the_patient_notes_as_staff_last_edited_them(
    client: Client, filled: dict[str, Any]
) -> None:
    FlagText.objects.update_or_create(
        code="OFF_LABEL",
        defaults={
            "title_ja": "適応外使用",
            "title_en": "Off-label use",
            "clinician_note_ja": "説明する。",
            "clinician_note_en": "Explain it.",
            "patient_note_ja": "施術の前に医師が詳しくご説明します。",
            "patient_note_en": "The doctor will explain this in detail before the treatment.",
        },
    )
    intake = complete_intake(client, filled)
    page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference}))
    assert "The doctor will explain this in detail before the treatment." in page.text


def test_the_confirmation_is_visible_only_to_the_session_that_submitted(
    client: Client, filled: dict[str, Any]
) -> None:
    intake = complete_intake(client, filled)
    confirmation = reverse("intake:submitted", kwargs={"reference": intake.reference})
    assert client.get(confirmation).status_code == 200
    assert Client().get(confirmation).status_code == 404


def test_an_unknown_reference_is_not_found(client: Client) -> None:
    missing = reverse("intake:submitted", kwargs={"reference": "ABCD-EFGH"})
    assert client.get(missing).status_code == 404


def test_a_re_sent_review_post_creates_one_intake_and_lands_on_the_same_confirmation(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_form(client)
    first = submit(client, shown)
    again = submit(client, shown)
    assert Intake.objects.count() == 1
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert client.get(again["Location"]).status_code == 200


def test_a_replayed_review_post_from_another_browser_creates_nothing(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_form(client)
    submit(client, shown)
    stranger = Client()
    response = submit(stranger, shown)
    assert Intake.objects.count() == 1
    # The stranger's browser holds no answers: it is told so, and nothing is taken from the POST.
    assert response["Location"] == reverse("intake:session_ended")


def test_after_submitting_the_next_intake_starts_empty(
    client: Client, filled: dict[str, Any]
) -> None:
    complete_intake(client, filled)
    client.post(reverse("intake:sent"))  # chosen on the "answers were sent" page (issue 13)
    page = client.get(url("about_you"))
    assert field_value(page, "about_you", "full_name") in (None, "")


def test_the_done_address_leads_back_to_the_form(client: Client) -> None:
    response = client.get(url("done"))
    assert response.status_code == 302
    assert response["Location"] == url("about_you")


# Whose intake a submit creates, and whose confirmation opens -------------------------------------
def confirmation_url(reference: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:submitted", kwargs={"reference": reference})


def test_a_posted_token_of_another_patient_shows_nothing_of_theirs_and_saves_these_answers(
    client: Client, filled: dict[str, Any]
) -> None:
    first = complete_intake(client, filled)
    other = Client()
    filled["about_you"]["full_name"] = "鈴木 一郎"
    fill_steps(other, filled)
    shown = review_form(other)

    response = submit(other, {**shown, "review-submission_token": str(first.submission_token)})

    second = Intake.objects.exclude(pk=first.pk).get()
    assert second.full_name == "鈴木 一郎"
    assert second.submission_token == uuid.UUID(shown["review-submission_token"])
    assert response["Location"] == confirmation_url(second.reference)
    page = other.get(response["Location"]).text
    assert second.reference in page and first.reference not in page
    assert other.get(confirmation_url(first.reference)).status_code == 404


def test_after_a_second_intake_in_one_browser_the_first_confirmation_no_longer_opens(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    first_shown = review_form(client)
    first = client.get(submit(client, first_shown)["Location"])
    assert first.status_code == 200
    first_reference = Intake.objects.get().reference

    fill_steps(client, filled)
    second = submit(client, review_form(client))
    second_reference = Intake.objects.exclude(reference=first_reference).get().reference

    assert client.get(second["Location"]).status_code == 200
    again = client.get(confirmation_url(first_reference))
    assert again.status_code == 404
    assert 'id="reference-code"' not in again.text
    # Nor does the first review page, sent again, lead back to it: its answers are gone.
    resent = submit(client, first_shown)
    assert resent["Location"] == reverse("intake:session_ended")
    assert {i.reference for i in Intake.objects.all()} == {first_reference, second_reference}


def test_a_confirmation_opened_elsewhere_says_the_answers_reached_the_clinic_and_nothing_more(
    client: Client, filled: dict[str, Any], clinic: ClinicProfile
) -> None:
    intake = complete_intake(client, filled)

    existing = Client().get(confirmation_url(intake.reference))
    made_up = Client().get(confirmation_url("ABCD-EFGH"))

    assert existing.status_code == made_up.status_code == 404
    page = existing.text
    assert "This confirmation page cannot be shown here" in page
    assert "If you sent your answers, the clinic has received them" in page
    assert "Your reference code was shown on the screen right after sending." in page
    assert 'href="tel:06-6375-0000"' in page and "Umeda Skin Clinic" in page
    assert "no-store" in existing["Cache-Control"]
    for private in ("山田 花子", "hanako@example.jp", 'id="reference-code"', "Before your visit"):
        assert private not in page
    # One page for both: only the address typed in (and the form's CSRF token) differ.
    assert same_page_but_for(existing.text, intake.reference) == same_page_but_for(
        made_up.text, "ABCD-EFGH"
    )


def same_page_but_for(html: str, reference: str) -> str:
    html = html.replace(reference, "REFERENCE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def test_a_confirmation_opened_after_the_session_ended_explains_in_japanese(
    client: Client, filled: dict[str, Any]
) -> None:
    intake = complete_intake(client, filled, language="ja")
    client.cookies.clear()  # the session cookie is gone (expired, or the browser was closed)

    with translation.override("ja"):
        response = client.get(confirmation_url(intake.reference, "ja"))

    assert response.status_code == 404
    assert '<html lang="ja">' in response.text
    assert "この確認画面はここでは表示できません" in response.text
    assert "回答を送信された場合は、クリニックに届いています。" in response.text
    assert 'id="reference-code"' not in response.text


# The review page ----------------------------------------------------------------------------------
def test_the_review_page_lists_every_answer_with_a_link_to_change_each_step(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, language="ja")
    page = client.get(url("review", "ja")).text

    for step in STEPS:
        assert f'href="{url(step, "ja")}?review=1"' in page
    born = answer_display(
        answers.QUESTIONS["date_of_birth"], datetime.date(1995, 4, 10), language="ja"
    )
    assert "1995" in born
    for expected in (
        born,
        "山田 花子",
        "ヤマダ ハナコ",
        "06-6375-0000",
        "hanako@example.jp",
        "混合肌",
        "皮脂・テカリ、ニキビ跡の凹凸（クレーター）",
        "トレチノイン",
        "ボトックスビスタ",
        "妊娠していない",
        "卵",
    ):
        assert expected in page
    # Every question that applies has its label on the page, answered or not.
    with translation.override("ja"):
        for question in answers.QUESTIONS.values():
            if question.key in {"isotretinoin_last_dose"}:
                continue  # isotretinoin "never": the question does not apply
            assert question.label.ja in page, question.key
    assert answers.QUESTIONS["isotretinoin_last_dose"].label.ja not in page


def test_change_from_the_review_page_returns_to_the_review_page(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    page = client.get(url("skin") + "?review=1")
    assert 'name="return_to_review"' in page.text
    changed = {**filled["skin"], "skin_type": "dry"}
    response = post_step(client, "skin", changed, return_to_review="1")
    assert response.status_code == 302
    assert response["Location"] == url("review")
    review = client.get(url("review"))
    assert "Dry" in review.text
    # Nothing else was lost.
    assert "hanako@example.jp" in review.text


def test_a_change_that_does_not_validate_stays_on_its_way_back_to_the_review_page(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    client.get(url("about_you") + "?review=1")
    # The form posts to its own address (action=""), the query string included.
    wrong = client.post(
        url("about_you") + "?review=1",
        {CURRENT_STEP: "about_you", "about_you-full_name": "", "return_to_review": "1"},
        follow=True,
    )
    assert wrong.status_code == 200
    assert 'name="return_to_review"' in wrong.text
    assert "Save and return to the summary" in wrong.text
    payload = {f"about_you-{key}": value for key, value in filled["about_you"].items()}
    fixed = client.post(
        url("about_you") + "?review=1",
        {CURRENT_STEP: "about_you", **payload, "return_to_review": "1"},
    )
    assert fixed["Location"] == url("review")


def test_a_change_that_makes_a_later_step_invalid_leads_to_that_step(
    client: Client, filled: dict[str, Any], today: datetime.date
) -> None:
    fill_steps(client, filled)
    # Born after the last toxin treatment given on step 4: that date is no longer possible.
    later_birth = (today - datetime.timedelta(days=100)).isoformat()
    changed = {**filled["about_you"], "date_of_birth": later_birth}
    post_step(client, "about_you", changed, return_to_review="1")
    response = client.get(url("review"))
    assert response["Location"] == url("treatments")
    page = client.get(url("treatments"))
    assert "This date is before your date of birth." in page.text


def test_jumping_to_the_review_with_an_incomplete_intake_goes_to_the_first_incomplete_step(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="retinoids")
    response = client.get(url("review"))
    assert response.status_code == 302
    assert response["Location"] == url("retinoids")


def test_jumping_to_the_review_from_a_fresh_session_says_the_answers_are_not_here(
    client: Client,
) -> None:
    response = client.get(url("review"))
    assert response["Location"] == reverse("intake:session_ended")


def test_an_earlier_step_that_no_longer_validates_sends_the_submit_back_to_it(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_form(client)
    # Back to the first page, a required answer erased, on to the next page with the wizard's
    # own button, then straight to the review's POST (its page still open in another tab).
    client.get(url("about_you"))
    broken = {**filled["about_you"], "phone": ""}
    post_step(client, "about_you", broken, wizard_goto_step="skin")
    response = submit(client, shown)
    assert Intake.objects.count() == 0
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == url("about_you")
    page = client.get(response["Location"])
    assert form_errors(page) == {"phone": ["This field is required."]}


def test_a_submit_from_a_review_page_whose_answers_changed_in_another_tab_saves_nothing(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    tab_a = review_form(client)
    # Tab B changes the skin type and comes back to its own review page.
    post_step(client, "skin", {**filled["skin"], "skin_type": "dry"}, return_to_review="1")

    response = submit(client, tab_a)

    assert response.status_code == 409
    assert Intake.objects.count() == 0
    assert (
        "Your answers were changed in another window; check them below and send again."
        in response.text
    )
    assert "Please correct the following:" not in response.text  # nothing to correct
    assert "Dry" in response.text  # the answers as they are now
    # The page given back carries what it now shows: sent as is, it goes through.
    resent = submit(client, hidden_review_fields(response.text))
    assert resent.status_code == 302
    assert Intake.objects.get().skin_type == "dry"


def test_a_review_post_without_the_digest_of_what_it_showed_is_refused_in_japanese(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, language="ja")
    shown = review_form(client, "ja")
    del shown["review-answers_digest"]

    response = submit(client, shown, language="ja")

    assert response.status_code == 409
    assert Intake.objects.count() == 0
    assert "別の画面（タブ）で回答が変更されました。" in response.text


def test_the_same_answers_sent_again_from_another_tab_do_not_count_as_a_change(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    tab_a = review_form(client)
    # Tab B goes back a page and on again without changing anything (a new CSRF token, even).
    post_step(client, "health", filled["health"], wizard_goto_step="treatments")
    post_step(client, "treatments", filled["treatments"], return_to_review="1")

    assert submit(client, tab_a).status_code == 302
    assert Intake.objects.count() == 1


def test_the_review_pages_digest_is_the_one_tests_and_benchmarks_compute_from_the_session(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled)
    shown = review_form(client)
    stored = client.session[SESSION_KEY]
    assert stored_review_fields(stored) == shown


def test_a_session_prepared_as_the_benchmark_does_is_sent_with_the_fields_computed_from_it(
    client: Client, valid_answers: dict[str, Any]
) -> None:
    stored = wizard_session_data(valid_answers, token=str(uuid.uuid4()))
    session = client.session
    session[SESSION_KEY] = stored
    session.save()

    response = client.post(url("review"), review_post_data(stored_review_fields(stored)))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Intake.objects.get().full_name == valid_answers["full_name"]


# Back, reload, language switch --------------------------------------------------------------------
def test_back_keeps_the_answers_of_both_pages(client: Client, filled: dict[str, Any]) -> None:
    fill_steps(client, filled, until="skin")
    response = post_step(client, "skin", filled["skin"], wizard_goto_step="about_you")
    assert response.status_code == 302
    assert response["Location"] == url("about_you")
    back = client.get(response["Location"])
    assert field_value(back, "about_you", "full_name") == "山田 花子"
    forward = client.get(url("skin"))
    assert field_value(forward, "skin", "skin_type") == "combination"
    assert field_value(forward, "skin", "concerns") == ["oiliness", "atrophic_scars"]


def test_back_keeps_what_was_typed_on_the_page_even_when_it_is_not_valid_yet(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="skin")
    half_done = {"skin_type": "dry", "concerns": []}  # concerns are required: not valid
    post_step(client, "skin", half_done, wizard_goto_step="about_you")
    page = client.get(url("skin"))
    assert field_value(page, "skin", "skin_type") == "dry"


def test_a_reload_of_a_step_loses_nothing(client: Client, filled: dict[str, Any]) -> None:
    fill_steps(client, filled, until="health")
    # The intake's start leads to the step reached.
    assert client.get(start_url())["Location"] == url("health")
    for step in ("about_you", "skin", "retinoids", "treatments"):
        page = client.get(url(step))
        assert page.status_code == 200
        for key, value in filled[step].items():
            shown = field_value(page, step, key)
            if key == "date_of_birth":
                assert page.context["wizard"]["form"].cleaned_data[key] == datetime.date(
                    1995, 4, 10
                )
            else:
                assert shown == value, (step, key)


def test_switching_language_keeps_every_answer_the_step_and_what_was_typed(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, language="ja", until="retinoids")
    typed = {"topical_retinoids": ["adapalene"], "isotretinoin": "past"}  # not valid yet
    response = post_step(client, "retinoids", typed, language="ja", switch_language="en")

    assert response.status_code == 302
    assert response["Location"] == url("retinoids", "en")
    assert response.cookies["django_language"].value == "en"
    page = client.get(response["Location"])
    assert "Step 3 of 6" in page.text
    assert field_value(page, "retinoids", "topical_retinoids") == ["adapalene"]
    assert field_value(page, "retinoids", "isotretinoin") == "past"
    earlier = client.get(url("skin", "en"))
    assert field_value(earlier, "skin", "skin_type") == "combination"
    assert "Combination" in earlier.text


def test_a_language_switch_from_a_page_in_another_tab_keeps_that_page_and_every_other_answer(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="consent")
    client.get(url("skin"))  # tab A: the skin page
    client.get(url("health"))  # tab B: the health page, opened later
    typed_in_tab_a = {**filled["skin"], "skin_type": "dry"}
    response = post_step(client, "skin", typed_in_tab_a, switch_language="ja")

    assert response["Location"] == url("skin", "ja")
    skin = client.get(url("skin", "ja"))
    assert field_value(skin, "skin", "skin_type") == "dry"
    health = client.get(url("health", "ja"))
    assert field_value(health, "health", "pregnancy") == "not_pregnant"
    assert field_value(health, "health", "allergy_details") == "卵"


def test_back_from_a_page_in_another_tab_keeps_that_page_and_every_other_answer(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="consent")
    client.get(url("treatments"))  # tab A
    client.get(url("health"))  # tab B
    response = post_step(client, "treatments", filled["treatments"], wizard_goto_step="retinoids")
    assert response["Location"] == url("retinoids")
    health = client.get(url("health"))
    assert field_value(health, "health", "pregnancy") == "not_pregnant"
    treatments = client.get(url("treatments"))
    assert field_value(treatments, "treatments", "botulinum_before") == "true"


def test_switching_language_on_the_review_page_keeps_the_intake_whole(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, language="ja")
    shown = review_form(client, "ja")
    response = client.post(
        url("review", "ja"),
        {CURRENT_STEP: "review", **shown, "switch_language": "en"},
    )
    assert response["Location"] == url("review", "en")
    assert Intake.objects.count() == 0
    review = client.get(url("review", "en"))
    assert "Combination" in review.text
    submit(client, review_form(client, "en"), language="en")
    assert Intake.objects.get().language == "en"


def test_every_language_cookie_the_wizard_or_django_sets_honours_the_production_settings(
    client: Client, filled: dict[str, Any], settings: Any
) -> None:
    settings.LANGUAGE_COOKIE_SECURE = True  # as clinic/settings.py in production
    fill_steps(client, filled, until="skin")
    switched = post_step(client, "skin", filled["skin"], switch_language="ja")
    with translation.override("ja"):
        django_set_language = client.post(reverse("set_language"), {"language": "en"})

    for response in (switched, django_set_language):
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["max-age"] == 60 * 60 * 24 * 365


# Starting over ------------------------------------------------------------------------------------
def start_over_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("intake:start_over")


def test_reset_in_the_address_no_longer_erases_anything(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="health")

    response = client.get(start_url() + "?reset=1")

    assert response["Location"] == url("health")
    assert field_value(client.get(url("about_you")), "about_you", "full_name") == "山田 花子"


def test_start_over_asks_first_keeps_what_was_typed_and_erases_only_on_a_post(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="retinoids")
    step_page = client.get(url("retinoids")).text
    assert 'name="start_over"' in step_page

    typed = {"isotretinoin": "never"}
    asked = post_step(client, "retinoids", typed, start_over="1")
    assert asked["Location"] == start_over_url()
    page = client.get(start_over_url())
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "Every answer you have entered in this questionnaire will be erased" in page.text
    assert re.search(r'<form method="post" action="' + re.escape(start_over_url()), page.text)
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert f'href="{start_url()}"' in page.text  # keep my answers and go on

    # Keeping them: back on the page left, with what was typed there.
    kept = client.get(client.get(start_url())["Location"])
    assert field_value(kept, "retinoids", "isotretinoin") == "never"
    assert field_value(client.get(url("about_you")), "about_you", "full_name") == "山田 花子"

    erased = client.post(start_over_url())
    assert erased["Location"] == start_url()
    assert client.get(start_url())["Location"] == url("about_you")
    assert field_value(client.get(url("about_you")), "about_you", "full_name") in (None, "")
    assert 'name="start_over"' not in client.get(url("about_you")).text


def test_start_over_reads_in_japanese_and_is_not_offered_with_nothing_to_erase(
    client: Client, filled: dict[str, Any]
) -> None:
    assert 'name="start_over"' not in client.get(url("about_you", "ja")).text
    assert client.get(start_over_url("ja"))["Location"] == start_url("ja")

    fill_steps(client, filled, language="ja", until="skin")
    page = client.get(start_over_url("ja")).text
    assert "最初からやり直しますか？" in page
    assert "回答を消去してやり直す" in page
    assert "回答を残して続ける" in page
    assert "最初からやり直す" in client.get(url("skin", "ja")).text


# Conditional questions ----------------------------------------------------------------------------
def test_conditional_questions_are_hidden_on_the_server_until_they_apply(
    started: Client,
) -> None:
    retinoids = started.get(url("retinoids")).text
    for key in ("topical_retinoid_started", "retinoid_irritation", "isotretinoin_last_dose"):
        assert "d-none" in wrapper_classes(retinoids, "retinoids", key).split()
    assert "d-none" not in wrapper_classes(retinoids, "retinoids", "isotretinoin").split()
    treatments = started.get(url("treatments")).text
    for key in ("botulinum_last_date", "botulinum_product", "botulinum_reactions"):
        assert "d-none" in wrapper_classes(treatments, "treatments", key).split()


def test_a_conditional_question_is_shown_once_a_post_makes_it_relevant(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="retinoids")
    response = post_step(
        client, "retinoids", {"topical_retinoids": ["tretinoin"], "isotretinoin": "past"}
    )
    response = client.get(response["Location"])  # Post/Redirect/Get: the page, with its errors
    assert response.status_code == 200  # the start date and the last dose are now required
    for key in ("topical_retinoid_started", "retinoid_irritation", "isotretinoin_last_dose"):
        assert "d-none" not in wrapper_classes(response.text, "retinoids", key).split()
    assert form_errors(response) == {
        "topical_retinoid_started": ["Enter when you started it (an approximate date is fine)."],
        "isotretinoin_last_dose": [
            "Enter the date of your last dose (an approximate date is fine)."
        ],
    }


def test_a_required_conditional_answer_cannot_be_skipped(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="treatments")
    response = post_step(client, "treatments", {"botulinum_before": "true"})
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert list(form_errors(response)) == ["botulinum_last_date"]
    assert "d-none" not in wrapper_classes(response.text, "treatments", "botulinum_last_date")
    # Nor by going to the review page directly.
    assert client.get(url("review"))["Location"] == url("treatments") + "?check=1"


def test_a_required_conditional_error_is_explained_in_japanese(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, language="ja", until="treatments")
    response = post_step(client, "treatments", {"botulinum_before": "true"}, language="ja")
    response = client.get(response["Location"])
    assert "最後に受けた日を入力してください" in response.text
    assert "次の項目を修正してください" in response.text


def test_a_hidden_answer_never_reaches_the_intake(client: Client, filled: dict[str, Any]) -> None:
    filled["retinoids"] = {
        "topical_retinoids": [],
        "topical_retinoid_started": "2026-01-01",
        "isotretinoin": "current",
        "isotretinoin_last_dose": "2026-01-01",
    }
    filled["treatments"] = {
        "botulinum_before": "false",
        "botulinum_last_date": "2026-01-01",
        "botulinum_product": "unknown",
    }
    intake = complete_intake(client, filled)
    assert intake.topical_retinoid_started is None
    assert intake.isotretinoin_last_dose is None
    assert intake.botulinum_last_date is None
    assert intake.botulinum_product == ""
    codes = [flag.code for flag in intake.flags.all()]
    assert "TOXIN_PRODUCT_UNKNOWN" not in codes
    assert "RECENT_TOXIN" not in codes


def test_an_answer_hidden_after_going_back_is_dropped_at_submit(
    client: Client, filled: dict[str, Any], today: datetime.date
) -> None:
    fill_steps(client, filled)
    # Back on the retinoids page, the retinoid is unticked; its start date stays in the post.
    changed = {**filled["retinoids"], "topical_retinoids": []}
    assert post_step(client, "retinoids", changed, return_to_review="1").status_code == 302
    review = client.get(url("review")).text
    assert answers.QUESTIONS["topical_retinoid_started"].label.en not in review
    submit(client, review_form(client))
    intake = Intake.objects.get()
    assert intake.topical_retinoids == []
    assert intake.topical_retinoid_started is None
    assert "TOPICAL_RETINOID" not in [flag.code for flag in intake.flags.all()]


def test_a_wrong_date_left_in_a_hidden_question_does_not_block_the_step(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="retinoids")
    no_retinoid = {"topical_retinoids": [], "topical_retinoid_started": "2099-01-01"}
    response = post_step(client, "retinoids", {**no_retinoid, "isotretinoin": "never"})
    assert response.status_code == 302, form_errors(response)
    assert response["Location"] == url("treatments")


# Consent ------------------------------------------------------------------------------------------
def test_a_consent_text_published_mid_intake_must_be_read_and_agreed_again(
    client: Client, filled: dict[str, Any], today: datetime.date
) -> None:
    first = selectors.current_consent_document(today=today)
    filled["consent"]["consent_version"] = first.version
    fill_steps(client, filled)
    newer = ConsentDocument.objects.create(
        version="2027-01",
        title_ja="個人情報の取り扱いについて（改訂）",
        title_en="How we handle your personal information (revised)",
        body_ja="改訂した本文",
        body_en="The revised text",
        effective_date=today,
        published=True,
    )
    response = client.get(url("review"))
    assert response["Location"] == url("consent")
    page = client.get(url("consent"))
    assert "The revised text" in page.text
    assert "The consent text has been updated. Please read it again and confirm." in page.text

    filled["consent"]["consent_version"] = newer.version
    assert post_step(client, "consent", filled["consent"]).status_code == 302
    submit(client, review_form(client))
    assert Intake.objects.get().consent_document == newer


# The privacy notice before any health question, the full text at the last step (spec §6) -------
NOTICE_TITLE = {
    "ja": "ご回答の前に：個人情報の取り扱いについて",
    "en": "Before you answer: your personal information",
}


@pytest.fixture
def consent_2026_12_in_force(monkeypatch: pytest.MonkeyPatch) -> ConsentDocument:
    """The day the consent 2026-12 takes effect, with the clinic's profile (its phone)."""
    document = ConsentDocument.objects.get(version="2026-12")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: document.effective_date)
    ClinicProfile.objects.create(
        name_ja="梅田スキンクリニック",
        name_en="Umeda Skin Clinic",
        address_ja="大阪市北区梅田1-1-1",
        address_en="1-1-1 Umeda, Kita-ku, Osaka",
        phone="06-6375-0000",
    )
    return document


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_first_page_tells_how_answers_are_handled_before_any_question(
    client: Client, consent_2026_12_in_force: ConsentDocument, language: str
) -> None:
    page = client.get(url("about_you", language)).text

    notice = page.index(NOTICE_TITLE[language])
    assert notice < page.index('name="about_you-full_name"')
    retention = {"ja": "から5年間保存し、その後削除します", "en": "kept for 5 years from"}
    assert retention[language] in page
    contact = {
        "ja": "お問い合わせ先：当院 個人情報お問い合わせ窓口（受付）、電話 06-6375-0000、"
        "責任者 院長（個人情報保護管理者）",
        "en": "Contact: The clinic&#x27;s privacy enquiries desk (reception), phone 06-6375-0000, "
        "person responsible: The clinic director (privacy officer).",
    }
    assert contact[language] in page


def test_the_notice_states_the_retention_the_clinic_has_set(client: Client, settings: Any) -> None:
    settings.INTAKE_RETENTION_DAYS = 365 * 3
    assert "から3年間保存し" in client.get(url("about_you", "ja")).text
    settings.INTAKE_RETENTION_DAYS = 400
    assert "kept for 400 days from" in client.get(url("about_you", "en")).text


def test_the_notice_is_on_the_first_page_only(client: Client) -> None:
    for step in STEPS[1:]:
        assert NOTICE_TITLE["en"] not in client.get(url(step)).text, step


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_consent_page_shows_every_part_of_the_consent_2026_12(
    started: Client, consent_2026_12_in_force: ConsentDocument, language: str
) -> None:
    document = consent_2026_12_in_force
    with translation.override(language):
        purposes = document.purpose_list
        retention = document.retention_text
    page = started.get(url("consent", language)).text

    assert purposes and all(f"<li>{escape(purpose)}</li>" in page for purpose in purposes)
    assert {"ja": "5年間保存し", "en": "kept for 5 years"}[language] in retention
    assert escape(retention) in page
    assert 'href="tel:06-6375-0000"' in page
    assert escape(getattr(document, f"contact_person_{language}")) in page
    heading = {"ja": "マイクロボトックスの適応外使用と未承認医薬品について"}
    assert heading.get(language, "Micro-Botox: off-label use and unapproved medicines") in page
    # The checkbox records reading, not consent to the treatment.
    reading_only = {"ja": "説明を読んだことの確認で、施術への同意ではありません"}
    assert reading_only.get(language, "it is not consent to the treatment") in page


# What the patient typed is shown, never run -----------------------------------------------------
def test_free_text_is_escaped_on_the_review_page(client: Client, filled: dict[str, Any]) -> None:
    filled["health"]["allergy_details"] = '<script>alert("x")</script>'
    fill_steps(client, filled)
    page = client.get(url("review")).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


# Spam guards --------------------------------------------------------------------------------------
def test_a_filled_honeypot_stops_the_intake_with_an_error(
    client: Client, filled: dict[str, Any]
) -> None:
    response = post_step(client, "about_you", {**filled["about_you"], "website": "http://x.test"})
    assert response.status_code == 200
    assert form_errors(response) == {"website": ["Leave this field empty."]}
    assert client.get(url("review"))["Location"] == reverse("intake:session_ended")
    assert Intake.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_from_assistive_technology(
    client: Client,
) -> None:
    page = client.get(url("about_you")).text
    # Off screen, out of the tab order, and out of the accessibility tree (aria-hidden).
    match = re.search(r'<div([^>]*)>\s*<div[^>]*id="div_id_about_you-website"', page)
    assert match and "honeypot" in match.group(1) and 'aria-hidden="true"' in match.group(1)
    assert re.search(r'<input[^>]*name="about_you-website"[^>]*tabindex="-1"', page)


def test_a_second_submit_from_the_same_address_over_the_limit_is_refused_and_answers_kept(
    client: Client, filled: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 1
    complete_intake(client, filled)

    fill_steps(client, filled)
    response = submit(client, review_form(client))
    assert response.status_code == 429
    assert Intake.objects.count() == 1
    assert "Too many questionnaires have been sent from this connection" in response.text
    assert "Your answers are kept" in response.text
    assert "山田 花子" in client.get(url("review")).text  # still there to send later

    other_address = Client(REMOTE_ADDR="192.0.2.10")
    fill_steps(other_address, filled)
    submit(other_address, review_form(other_address))
    assert Intake.objects.count() == 2


def test_the_rate_limit_message_is_in_japanese_for_a_japanese_patient(
    client: Client, filled: dict[str, Any], settings: Any
) -> None:
    settings.INTAKE_SUBMIT_RATE_LIMIT = 0
    fill_steps(client, filled, language="ja")
    response = submit(client, review_form(client, "ja"), language="ja")
    assert response.status_code == 429
    assert Intake.objects.count() == 0
    with translation.override("ja"):
        message = translation.gettext(
            "Too many questionnaires have been sent from this connection. Your answers "
            "are kept: please try again in an hour, or call the clinic."
        )
    assert message != "Too many questionnaires have been sent from this connection."
    assert message in response.text


# Invitations --------------------------------------------------------------------------------------
def make_invitation(today: datetime.date) -> Invitation:
    return Invitation.objects.create(
        token=secrets.token_urlsafe(32),
        full_name="佐藤 美咲",
        full_name_kana="サトウ ミサキ",
        phone="03-1234-5678",
        email="misaki@example.jp",
        visit_date=today + datetime.timedelta(days=7),
    )


def with_invitation(client: Client, invitation: Invitation) -> None:
    session = client.session
    session["intake_invitation"] = invitation.pk
    session.save()


def test_an_invitation_prefills_the_first_step(client: Client, today: datetime.date) -> None:
    invitation = make_invitation(today)
    with_invitation(client, invitation)
    page = client.get(url("about_you", "ja"))
    form = page.context["wizard"]["form"]
    assert form.initial["full_name"] == "佐藤 美咲"
    assert "佐藤 美咲" in page.text
    assert "サトウ ミサキ" in page.text
    assert "03-1234-5678" in page.text
    assert invitation.visit_date.isoformat() in page.text


def test_an_intake_opened_from_an_invitation_is_tied_to_it_and_uses_it_up(
    client: Client, filled: dict[str, Any], today: datetime.date
) -> None:
    invitation = make_invitation(today)
    with_invitation(client, invitation)
    filled["about_you"].update(
        full_name="佐藤 美咲", phone="03-1234-5678", visit_date=invitation.visit_date.isoformat()
    )
    intake = complete_intake(client, filled)
    invitation.refresh_from_db()
    assert intake.invitation == invitation
    assert invitation.used_at is not None
    assert "intake_invitation" not in client.session
    # The next intake in the same browser, once chosen, is a fresh one, not prefilled.
    client.post(reverse("intake:sent"))
    page = client.get(url("about_you"))
    assert page.context["wizard"]["form"].initial.get("full_name") is None


def test_a_used_invitation_prefills_nothing(client: Client, today: datetime.date) -> None:
    invitation = make_invitation(today)
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    with_invitation(client, invitation)
    page = client.get(url("about_you"))
    assert "佐藤 美咲" not in page.text


# /healthz -----------------------------------------------------------------------------------------
def test_healthz_reports_a_working_database(db: Any) -> None:
    response = Client().get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(db: Any) -> None:
    with mock.patch(
        "intake.selectors.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = Client().get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_needs_no_session_so_a_load_balancer_probe_stores_nothing(db: Any) -> None:
    from django.contrib.sessions.models import Session

    Client().get(reverse("healthz"))

    assert not Session.objects.exists()
    # Probes come as GET; anything else is refused.
    assert Client().post(reverse("healthz")).status_code == 405


def test_the_first_page_opens_without_a_consent_text_in_force(client: Client) -> None:
    ConsentDocument.objects.update(published=False)

    page = client.get(url("about_you"))

    assert page.status_code == 200
    assert NOTICE_TITLE["en"] in page.text


# When the session ends ----------------------------------------------------------------------------
def expire_session(client: Client) -> None:
    """What 24 hours without a page do: the session, answers and all, is gone on the server."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_each_page_says_until_when_the_answers_are_kept(
    client: Client, filled: dict[str, Any], settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 6 * 3600
    before = timezone.now()
    fill_steps(client, filled, until="health")

    page = client.get(url("health"))

    # The server's own expiry is the one shown: that of the session's last save.
    from django.contrib.sessions.models import Session

    stored = Session.objects.get(session_key=client.session.session_key).expire_date
    shown = formats.date_format(timezone.localtime(stored), "SHORT_DATETIME_FORMAT")
    assert f"Your answers are kept in this browser until {shown}" in page.text
    assert before + datetime.timedelta(hours=6) <= stored
    assert stored <= timezone.now() + datetime.timedelta(hours=6)


def test_the_note_reads_in_japanese(client: Client, filled: dict[str, Any]) -> None:
    fill_steps(client, filled, until="skin")

    page = client.get(url("skin", "ja")).text

    assert "ご回答はこのブラウザで" in page and "まで保存され" in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_sending_a_page_after_the_session_expired_explains_instead_of_step_one_errors(
    client: Client, filled: dict[str, Any], language: str
) -> None:
    fill_steps(client, filled, until="consent", language=language)
    expire_session(client)

    response = post_step(client, "consent", filled["consent"], language=language)

    with translation.override(language):
        ended = reverse("intake:session_ended")
    assert response.status_code == 302 and response["Location"] == ended
    page = client.get(ended)
    assert page.status_code == 200
    if language == "ja":
        assert "このブラウザにはご回答が残っていません" in page.text
        assert "LINEで開いた後にSafariやChromeで開いた" in page.text
    else:
        assert "Your answers are no longer in this browser" in page.text
        assert "24 hours after the last page was opened" in page.text
        assert "opened in LINE and then in Safari or Chrome" in page.text
    with translation.override(language):
        assert f'href="{reverse("intake:start")}" id="session-ended-restart"' in page.text
    assert "Please correct the following" not in page.text
    assert Intake.objects.count() == 0


def test_a_later_page_opened_in_another_browser_explains_too(client: Client, db: Any) -> None:
    """A link copied from LINE's browser into Safari: no answers there."""
    response = client.get(url("treatments"))

    assert response["Location"] == reverse("intake:session_ended")
    assert "no-store" in client.get(response["Location"])["Cache-Control"]


def test_the_first_page_starts_afresh_after_the_session_expired(
    client: Client, filled: dict[str, Any]
) -> None:
    fill_steps(client, filled, until="skin")
    expire_session(client)

    assert client.get(url("about_you")).status_code == 200
    assert post_step(client, "about_you", filled["about_you"])["Location"] == url("skin")


def test_a_patient_who_sends_the_first_page_from_a_link_has_started(
    client: Client, filled: dict[str, Any], invite: Any
) -> None:
    invitation = invite()
    client.get(reverse("invitations:open", kwargs={"token": invitation.token}))
    client.get(url("about_you"))
    invitation.refresh_from_db()
    assert invitation.started_at is None  # opening the link changes nothing

    post_step(client, "about_you", filled["about_you"])

    invitation.refresh_from_db()
    assert invitation.started_at is not None
    first = invitation.started_at
    post_step(client, "skin", filled["skin"])
    invitation.refresh_from_db()
    assert invitation.started_at == first


# Back after sending (issue 13) ------------------------------------------------------------------
@pytest.mark.parametrize("where", ["start", "about_you", "skin", "review"])
def test_back_after_sending_shows_the_answers_were_sent_not_an_empty_first_page(
    client: Client, filled: dict[str, dict[str, Any]], where: str
) -> None:
    intake = complete_intake(client, filled)
    response = client.get(start_url() if where == "start" else url(where))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:sent")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert intake.reference in page.text
    assert 'name="about_you-full_name"' not in page.text


def test_a_new_questionnaire_after_sending_is_started_by_a_post(
    client: Client, filled: dict[str, dict[str, Any]]
) -> None:
    complete_intake(client, filled)
    started = client.post(reverse("intake:sent"))
    assert started["Location"] == reverse("intake:start")
    first = client.get(url("about_you"))
    assert first.status_code == 200 and 'name="about_you-full_name"' in first.text
    # The new one is sent too; Back after it shows its own reference.
    post_step(client, "about_you", filled["about_you"])
    assert client.get(url("skin")).status_code == 200


# Post/Redirect/Get (issue 13) -------------------------------------------------------------------
def test_a_page_with_errors_is_redirected_and_a_reload_keeps_the_date_just_typed(
    client: Client, filled: dict[str, dict[str, Any]]
) -> None:
    fill_steps(client, filled, until="treatments")
    sent = post_step(
        client, "treatments", {"botulinum_before": "true", "botulinum_product": "botox_vista"}
    )
    # No page is the answer to the POST: a reload is a GET and never sends the form again.
    assert sent.status_code == 302
    assert sent["Location"] == url("treatments") + "?check=1"
    for _reload in range(2):
        page = client.get(sent["Location"])
        assert page.status_code == 200
        assert list(form_errors(page)) == ["botulinum_last_date"]
        assert field_value(page, "treatments", "botulinum_product") == "botox_vista"
        assert 'id="error-summary"' in page.text
    # A date typed wrong is shown again as typed, with its error.
    sent = post_step(
        client, "treatments", {"botulinum_before": "true", "botulinum_last_date": "2099-13-45"}
    )
    page = client.get(sent["Location"])
    assert "2099-13-45" in page.text and "botulinum_last_date" in form_errors(page)


# The confirmation's contact links (issue 13) ----------------------------------------------------
@pytest.mark.parametrize(
    ("line_id", "line_url"),
    [
        ("@umeda-skin", "https://line.me/R/ti/p/%40umeda-skin"),
        ("umeda_clinic", "https://line.me/R/ti/p/~umeda_clinic"),
    ],
)
def test_the_confirmation_links_the_clinics_phone_and_line(
    client: Client,
    filled: dict[str, Any],
    clinic: ClinicProfile,
    line_id: str,
    line_url: str,
) -> None:
    clinic.phone = "０６－６３７５ ００００"
    clinic.line_id = line_id
    clinic.save()
    intake = complete_intake(client, filled)
    page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference})).text
    assert re.search(r'<a href="tel:0663750000" id="clinic-phone">', page)
    assert f'<a href="{line_url}" id="clinic-line"' in page


def test_the_confirmation_shows_no_line_link_without_a_line_id(
    client: Client, filled: dict[str, Any], clinic: ClinicProfile
) -> None:
    intake = complete_intake(client, filled)
    page = client.get(reverse("intake:submitted", kwargs={"reference": intake.reference})).text
    assert 'href="tel:0663750000"' in page and "line.me" not in page


# The clinic's start page (issue 13) -------------------------------------------------------------
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_start_page_names_the_clinic_the_time_and_what_to_have_ready(
    client: Client, clinic: ClinicProfile, language: str
) -> None:
    page = client.get(welcome_url(language))
    assert page.status_code == 200
    assert ("梅田スキンクリニック" if language == "ja" else "Umeda Skin Clinic") in page.text
    assert f'href="{start_url(language)}"' in page.text and 'id="welcome-start"' in page.text
    words = (
        ("5–10分", "お薬の名前", "ボトックス")
        if language == "ja"
        else ("5–10 minutes", "medicines", "Botox")
    )
    for word in words:
        assert word in page.text

"""Words patients read (issue 16; spec §2 and §6), across the pages and the data that hold them.

No patient page shows a verdict, a severity, a suitability, an acne grade or 好転反応; every term
means one thing (適応外 is off-label use, never a verdict); the notes on one page never say the
same sentence twice; no text over-promises; and the pages staff read keep what patients must not.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from intake import answers, errors, screening
from intake.invitations import services as invitation_services
from intake.models import FlagText, Intake, Invitation
from tests.helpers import confirmation_page, step_url
from tests.wizard_http import (
    CSRF_FIELD,
    REVIEW_STEP,
    STEP_NAMES,
    review_page_fields,
    review_post_data,
    step_post_data,
)

LANGUAGES = ("ja", "en")
# A pseudo-medical term with an advertising history (spec §6), and the English it was given.
PSEUDO_MEDICAL = ("好転反応", "purging")
# The grades of the acne count (Japanese Dermatological Association): a diagnosis to a patient.
ACNE_GRADES = (
    "（軽症）",
    "（中等症）",
    "（重症）",
    "（最重症）",
    "(mild)",
    "(moderate)",
    "(severe)",
)


# Reading a page as a person does ------------------------------------------------------------------
class _VisibleText(HTMLParser):
    """The text nodes of a page, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_nodes(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.nodes


def staff_words() -> tuple[set[str], set[str]]:
    """What only staff may read, in both languages: (found anywhere in a page, found as a whole
    text node). Short words such as 注意 or Review are only wrong as a label of their own."""
    anywhere: set[str] = {*PSEUDO_MEDICAL, *ACNE_GRADES, "禁忌", "Contraindicat"}
    whole: set[str] = set()
    for label in answers.VERDICT_LABELS.values():
        anywhere |= {label.ja, label.en}
    for label in answers.SUITABILITY_LABELS.values():
        anywhere.add(label.ja)
        whole.add(label.en)
    for label in answers.SEVERITY_LABELS.values():
        whole |= {label.ja, label.en}
    patient_labels = [
        choice.label.in_language(language)
        for question in answers.QUESTIONS.values()
        for choice in question.choices
        for language in LANGUAGES
    ]
    for question in answers.QUESTIONS.values():
        for choice in question.choices:
            staff_label = getattr(choice, "staff_label", None)
            for language in LANGUAGES if staff_label else ():
                text = staff_label.in_language(language)
                # A staff label inside a patient's label (筋弛緩薬 in 筋弛緩薬（きんしかんやく…）)
                # says nothing more than the patient's.
                if not any(text in label for label in patient_labels):
                    anywhere.add(text)
    return anywhere, whole


def staff_words_on(html: str) -> list[str]:
    nodes = visible_nodes(html)
    text = " ".join(nodes)
    anywhere, whole = staff_words()
    found = [word for word in anywhere if word in text]
    found += [node for node in nodes if node in whole]
    return sorted(found)


# A patient who answers everything that can be answered --------------------------------------------
def every_answer(today: datetime.date) -> dict[str, Any]:
    """Answers choosing every code a multi-select offers, the acne count staff grade 重症 and a
    retinoid breakout: every label a page could show, and most notes."""
    every = {
        question.key: [choice.code for choice in question.choices]
        for question in answers.QUESTIONS.values()
        if question.kind == "multi"
    }
    return {
        **answers.example_answers(today),
        **every,
        "sex": "other",
        "skin_type": "dry",
        "acne_lesion_count": "21_50",
        "keloid_history": True,
        "topical_retinoids": ["tretinoin", "adapalene"],
        "topical_retinoid_started": today - datetime.timedelta(days=10),
        "isotretinoin": "past",
        "isotretinoin_last_dose": today - datetime.timedelta(days=30),
        "botulinum_before": True,
        "botulinum_last_date": today - datetime.timedelta(days=30),
        "botulinum_product": "unknown",
        "last_resurfacing_date": today - datetime.timedelta(days=3),
        "pregnancy": "possibly_pregnant",
        "breastfeeding": True,
        "planning_pregnancy": True,
        "allergy_details": "卵",
        "medication_details": "ロキソニンS",
        "upcoming_event_date": today + datetime.timedelta(days=15),
    }


def walk_and_submit(client: Client, given: dict[str, Any], language: str) -> dict[str, str]:
    """Every page of the wizard, answered, then the review and the confirmation: name → HTML."""
    pages: dict[str, str] = {}
    client.get(f"/{language}/intake/")
    for step in STEP_NAMES:
        response = client.post(step_url(step, language), step_post_data(step, given))
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    for step in STEP_NAMES:
        pages[step] = client.get(step_url(step, language)).content.decode()
    review = client.get(step_url(REVIEW_STEP, language)).content.decode()
    pages[REVIEW_STEP] = review
    shown = review_page_fields(review)
    assert shown.get(f"{REVIEW_STEP}-submission_token")
    response = client.post(step_url(REVIEW_STEP, language), review_post_data(shown))
    assert response.status_code == 302, response.content.decode()[:2000]
    pages["confirmation"] = client.get(response["Location"]).content.decode()
    return pages


def refused_invitation_pages(receptionist: Any, today: datetime.date, language: str) -> dict:
    def invitation(**changes: Any) -> Invitation:
        return invitation_services.invitation_create(
            full_name="山田 花子",
            full_name_kana="ヤマダ ハナコ",
            phone="06-6375-0000",
            email="",
            visit_date=today + datetime.timedelta(days=3),
            language=language,
            created_by=receptionist,
        )

    used, expired = invitation(), invitation()
    Invitation.objects.filter(pk=used.pk).update(used_at=timezone.now())
    Invitation.objects.filter(pk=expired.pk).update(visit_date=today - datetime.timedelta(days=1))
    with translation.override(language):
        links = {
            f"invitation {name}": reverse("invitations:open", kwargs={"token": token})
            for name, token in (
                ("used", used.token),
                ("expired", expired.token),
                ("unknown", "x" * 43),
            )
        }
    return {name: Client().get(link).content.decode() for name, link in links.items()}


def error_pages(language: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    client = Client(raise_request_exception=False)
    pages = {"404": client.get(f"/{language}/nothing-here/").content.decode()}
    pages["400"] = client.post(
        step_url("about_you", language), {"intake_wizard-current_step": "no-such-step"}
    ).content.decode()
    strict = Client(enforce_csrf_checks=True)
    pages["csrf"] = strict.post(step_url("about_you", language), {CSRF_FIELD: "x"}).content.decode()
    request = RequestFactory().get(f"/{language}/intake/")
    for status in (403, 410, 429):
        pages[str(status)] = errors.error_response(request, status=status).content.decode()

    def fail(**kwargs: Any) -> None:
        raise ValueError("broken")

    monkeypatch.setattr("intake.selectors.current_consent_document", fail)
    pages["500"] = client.get(step_url("consent", language)).content.decode()
    return pages


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_patient_page_shows_a_verdict_a_severity_an_acne_grade_or_a_pseudo_medical_term(
    db: Any,
    client: Client,
    receptionist: Any,
    today: datetime.date,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
) -> None:
    pages = walk_and_submit(client, every_answer(today), language)
    pages |= refused_invitation_pages(receptionist, today, language)
    pages |= error_pages(language, monkeypatch)

    # The pages are the ones meant: the answers are there, as the patient's labels.
    count = answers.QUESTIONS["acne_lesion_count"].choice_label("21_50", language)
    assert count in " ".join(visible_nodes(pages[REVIEW_STEP]))
    assert Intake.objects.get().verdict == "not_suitable"
    assert len(pages) == len(STEP_NAMES) + 2 + 3 + 7
    assert {name: staff_words_on(html) for name, html in pages.items()} == {
        name: [] for name in pages
    }


def test_the_check_finds_a_severity_label_and_a_grade_where_a_page_shows_them() -> None:
    page = '<p><span class="badge">要確認</span> 21〜50個（重症）</p><script>"禁忌"</script>'
    assert staff_words_on(page) == sorted(["21〜50個（重症）", "（重症）", "要確認"])
    assert staff_words_on("<p>ご注意ください。問診票</p>") == []


# Staff pages keep what patients do not see --------------------------------------------------------
def test_the_doctor_reads_the_acne_grade_the_patient_never_saw(
    doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(acne_lesion_count="21_50", language="ja")
    with translation.override("ja"):
        url = reverse("review:intake", kwargs={"reference": intake.reference})

    page = doctor_client.get(url).content.decode()

    # In the answers and beside the SEVERE_ACNE flag, as what set it off.
    assert page.count("21〜50個（重症）") == 2
    assert answers.VERDICT_LABELS[intake.verdict].ja in page


# One meaning per term -----------------------------------------------------------------------------
def test_verdict_labels_are_the_specs_and_none_says_off_label_or_suitable() -> None:
    assert {code: label.ja for code, label in answers.VERDICT_LABELS.items()} == {
        "not_suitable": "禁忌あり（今回は施術しない）",
        "needs_review": "要医師確認",
        "suitable_with_cautions": "注意事項あり",
        "suitable": "問題なし",
    }
    assert {code: label.en for code, label in answers.VERDICT_LABELS.items()} == {
        "not_suitable": "Contraindicated (no treatment this time)",
        "needs_review": "Needs review",
        "suitable_with_cautions": "Cautions to note",
        "suitable": "No issues found",
    }
    for label in answers.VERDICT_LABELS.values():
        # 適応外 is off-label use (OFF_LABEL, every patient); suitability is about benefit.
        assert "適応" not in label.ja
        assert "suitable" not in label.en.lower()


def patient_texts(language: str) -> dict[str, str]:
    """Every text of the code a patient may read, by where it lives."""
    texts = {}
    for step in answers.STEPS:
        texts[f"step {step.name}"] = step.label.in_language(language)
        for question in step.questions:
            texts[question.key] = question.label.in_language(language)
            if question.help:
                texts[f"{question.key} help"] = question.help.in_language(language)
            for choice in question.choices:
                texts[f"{question.key}={choice.code}"] = choice.label.in_language(language)
    for rule in screening.RULES:
        for value, note in {None: rule.patient_note, **rule.patient_note_variants}.items():
            if note is not None:
                texts[f"{rule.code} {value or ''}"] = note.in_language(language)
    for number, note in enumerate(general_notes(language)):
        texts[f"general note {number}"] = note
    return texts


def all_rule_texts(language: str) -> dict[str, str]:
    """The rules' texts staff read (titles, clinician notes, sources) and patients read."""
    texts = {}
    for rule in screening.RULES:
        texts[f"{rule.code} title"] = rule.title.in_language(language)
        texts[f"{rule.code} clinician"] = rule.clinician_note.in_language(language)
        texts[f"{rule.code} source"] = rule.source
    return texts | patient_texts(language)


@pytest.mark.parametrize(
    ("term", "why"),
    [
        ("好転反応", "a pseudo-medical term with an advertising history"),
        ("慎重投与", "no longer a heading of package inserts (9.1 特定の背景を有する患者)"),
        ("副反応", "a vaccine term: medicines have 副作用"),
        ("ゼオミン", "sold in Japan as ゼオマイン"),
        ("ざ瘡治療ガイドライン", "the guideline is 尋常性痤瘡・酒皶治療ガイドライン2023"),
        ("パージ", "jargon for a temporary worsening of acne"),
    ],
)
def test_no_text_uses_a_term_the_clinic_cannot_put_its_name_to(term: str, why: str) -> None:
    assert {where: text for where, text in all_rule_texts("ja").items() if term in text} == {}, why


@pytest.mark.parametrize(
    "phrase",
    [
        "ダウンタイムはほとんど",
        "2〜3か月ごと",
        "12週",
        "好転反応",
        "little downtime",
        "every 2 to 3 months",
        "12 weeks",
        "purging",
    ],
)
def test_no_patient_text_promises_little_downtime_or_a_shorter_interval(phrase: str) -> None:
    found = {
        where: text
        for language in LANGUAGES
        for where, text in patient_texts(language).items()
        if phrase in text
    }
    assert found == {}


def test_every_interval_a_patient_reads_is_at_least_3_months() -> None:
    interval = next(note for note in general_notes("ja") if "前回から" in note)
    assert "前回から3か月以上あけます" in interval
    assert "3か月" in screening.RULES_BY_CODE["RECENT_TOXIN"].patient_note.ja
    english = next(note for note in general_notes("en") if "last one" in note)
    assert "at least 3 months after the last one" in english


# Notes that stand alone, never said twice ---------------------------------------------------------
def general_notes(language: str) -> list[str]:
    with translation.override(language):
        html = render_to_string("intake/_general_notes.html")
    return [" ".join(item.split()) for item in re.findall(r"<li>(.*?)</li>", html, re.S)]


def sentences(text: str, language: str) -> list[str]:
    boundary = r"(?<=。)" if language == "ja" else r"(?<=[.!?])\s+"
    parts = re.split(boundary, text)
    return [part.strip() for part in parts if part.strip()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_of_a_patient_note_repeats_another_note_or_a_general_note(
    language: str,
) -> None:
    notes = [
        rule.patient_note.in_language(language)
        for rule in screening.RULES
        if rule.patient_note is not None  # a rule's variants are parts of its own note
    ]
    said = [s for text in [*notes, *general_notes(language)] for s in sentences(text, language)]
    assert [s for s, count in Counter(said).items() if count > 1] == []


def confirmation_items(html: str) -> list[str]:
    items = re.findall(r'<ul class="(?:patient|general)-notes">(.*?)</ul>', html, re.S)
    return [
        " ".join(li.split()) for block in items for li in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_confirmation_page_says_each_sentence_once(
    db: Any, client: Client, today: datetime.date, language: str
) -> None:
    pages = walk_and_submit(client, every_answer(today), language)
    intake = Intake.objects.get()

    items = confirmation_items(pages["confirmation"])
    said = [s for item in items for s in sentences(item, language)]

    flags_with_notes = [flag for flag in intake.flags.all() if flag.text("patient_note", language)]
    assert len(flags_with_notes) >= 15  # the page is the crowded one meant
    assert len(items) == len(flags_with_notes) + len(general_notes(language))
    assert [s for s, count in Counter(said).items() if count > 1] == []


def test_two_notes_staff_worded_the_same_are_shown_once(
    make_intake: Callable[..., Intake],
) -> None:
    same = {"patient_note_ja": "当日、医師が肌を確認します。", "patient_note_en": "We check."}
    FlagText.objects.filter(code__in=["SKIN_FLARE", "RETINOID_IRRITATION"]).update(**same)
    intake = make_intake(
        skin_problems_now=["dermatitis"],
        topical_retinoids=["tretinoin"],
        topical_retinoid_started=timezone.localdate() - datetime.timedelta(days=100),
        retinoid_irritation=["redness"],
    )
    page = confirmation_page(intake, "ja")

    assert page.count("当日、医師が肌を確認します。") == 1

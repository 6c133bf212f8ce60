"""What doctors read on the queue, the intake page and the print view: flags by their titles (the
code after it, as secondary text), sources in words, and the saved decision first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake.models import Decision, Intake
from intake.screening import RULES_BY_CODE
from tests.helpers import class_texts
from tests.review.helpers import TO_ACKNOWLEDGE, decide, form_data

LANGUAGES = ("ja", "en")


def url(name: str, intake: Intake | None = None, language: str = "en") -> str:
    with translation.override(language):
        if intake is None:
            return reverse(name)
        return reverse(name, kwargs={"reference": intake.reference})


def title(code: str, language: str) -> str:
    return RULES_BY_CODE[code].title.in_language(language)


# Flags by their titles ---------------------------------------------------------------------------
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_queue_chips_read_as_titles_with_the_code_after_them(
    doctor_client: Client, intake: Intake, language: str
) -> None:
    page = doctor_client.get(url("review:queue", language=language)).content.decode()

    titles = class_texts(page, "flag-chip-title")
    codes = class_texts(page, "flag-chip-code")
    assert titles[:2] == [title("PREGNANCY_BREASTFEEDING", language), title("KELOID", language)]
    assert codes[:2] == ["PREGNANCY_BREASTFEEDING", "KELOID"]
    # Each chip is its title, then its code: nothing else.
    assert class_texts(page, "flag-chip")[0] == f"{titles[0]} {codes[0]}"


@pytest.mark.parametrize("language", LANGUAGES)
# The printed summary lists every flag by its title already, and has one A4 page to keep.
@pytest.mark.parametrize("name", ["review:intake"])
def test_acknowledged_flags_read_as_titles_on_the_intake_page(
    doctor_client: Client, intake: Intake, doctor: User, language: str, name: str
) -> None:
    decide(intake, doctor)

    page = doctor_client.get(url(name, intake, language)).content.decode()

    assert class_texts(page, "flag-chip-title") == [
        title(code, language) for code in TO_ACKNOWLEDGE
    ]
    assert class_texts(page, "flag-chip-code") == TO_ACKNOWLEDGE


def test_a_code_the_current_result_no_longer_raises_reads_as_its_rule_title(
    doctor_client: Client, make_intake: Callable[..., Intake], doctor: User
) -> None:
    """An earlier decision acknowledged a flag that a re-screening removed: still a title."""
    intake = make_intake()
    Decision.objects.create(
        intake=intake,
        doctor=doctor,
        outcome=Decision.Outcome.DEFERRED,
        acknowledged_flags=["RECENT_TOXIN"],
        decided_at=timezone.now(),
    )

    page = doctor_client.get(url("review:intake", intake, "ja")).content.decode()

    assert class_texts(page, "flag-chip-title") == [title("RECENT_TOXIN", "ja")]


# Sources in words --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "pregnancy", "keloid"),
    [
        (
            "ja",
            ["国内の添付文書：禁忌（ボトックスビスタ注用の添付文書と患者向医薬品ガイド） JP"],
            ["公表された研究（学術論文と専門家のコンセンサス） P"],
        ),
        (
            "en",
            [
                "Japanese package insert: contraindication (the package insert and patient guide "
                "of Botox Vista in Japan) JP"
            ],
            ["Published studies (peer-reviewed papers and expert consensus) P"],
        ),
    ],
)
def test_a_flag_names_its_source_in_words_with_the_document_it_refers_to(
    doctor_client: Client, intake: Intake, language: str, pregnancy: list[str], keloid: list[str]
) -> None:
    page = doctor_client.get(url("review:intake", intake, language)).content.decode()

    # Flags strongest first: pregnancy ("JP 禁忌"), keloids ("P"), dry skin, off-label.
    sources = class_texts(page, "flag-sources")
    assert len(sources) == 4
    for words in pregnancy:
        assert words in sources[0]
    for words in keloid:
        assert words in sources[1]
    assert "JP 禁忌" not in page


# The saved decision first ------------------------------------------------------------------------
def test_after_saving_a_decision_the_page_opens_at_the_decisions(
    doctor_client: Client, intake: Intake
) -> None:
    response = doctor_client.post(url("review:decide", intake), form_data())

    assert response.status_code == 302
    assert response.url == url("review:intake", intake) + "#decisions"


@pytest.mark.parametrize("language", LANGUAGES)
def test_once_decided_the_saved_decision_comes_before_a_folded_new_decision_form(
    doctor_client: Client, intake: Intake, doctor: User, language: str
) -> None:
    decide(intake, doctor, note="Rebook after breastfeeding ends.")

    page = doctor_client.get(url("review:intake", intake, language)).content.decode()

    decisions = page.index('id="decisions"')
    saved = page.index("Rebook after breastfeeding ends.")
    form = page.index('id="decision-form"')
    assert decisions < saved < form
    # The new decision's form is folded away: a summary to open, not an empty form in view.
    folded = page[page.rindex("<details", 0, form) : form]
    assert 'id="new-decision"' in folded and " open" not in folded.split(">", 1)[0]


def test_before_any_decision_the_form_is_open_where_the_decision_goes(
    doctor_client: Client, intake: Intake
) -> None:
    page = doctor_client.get(url("review:intake", intake)).content.decode()

    assert 'id="decision-form"' in page
    assert 'id="new-decision"' not in page
    assert 'id="decisions"' not in page


def test_a_refused_new_decision_comes_back_unfolded_with_what_was_typed(
    doctor_client: Client, intake: Intake, doctor: User
) -> None:
    first = decide(intake, doctor)
    data = form_data(note="Second thoughts.", acknowledge=[], based_on=first.pk)

    response = doctor_client.post(url("review:decide", intake), data)

    assert response.status_code == 400
    page = response.content.decode()
    details = page[page.index('<details class="card mb-3 no-print new-decision"') :]
    assert details.split(">", 1)[0].endswith(" open")
    assert "Second thoughts." in page

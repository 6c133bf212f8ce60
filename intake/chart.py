"""The chart text (カルテ転記): one intake as plain text for an electronic chart's free-text field,
in the doctor's language. The doctor copies it from the intake page ("Copy for the chart") or
selects it on its own page; `tests/golden/chart_ja.txt` and `chart_en.txt` show it whole.

The format is fixed, so that a clinic can rely on where each thing is:

    【問診】ABCD-EF12                         [Intake] ABCD-EF12
    patient      name (kana), sex, age, date of birth
    visit        visit date (appointment: 予約 / appointment; the patient's: 本人記入 / as given;
                 else 未定 / not booked), then when the intake was sent
    verdict      verdict and suitability (the current result)
    rules        rule set and reference date
    【フラグ】n件   [Flags] n        one block per flag, strongest first: "・[severity] title",
                 then the answers that set it off, indented 2 columns
    【回答】       [Answers]        every non-empty answer by step ("〈step〉" / "-- step --"),
                 "label：value" / "label: value"; the head's answers (name, kana, sex, date of
                 birth, planned visit) are not repeated; an empty "none of these" is left out
    【日付】       [Dates]          each key date given, with its days before the reference date
    【判断】       [Decision]       the latest decision: outcome, date, doctor; its note below
    【前回施術】   [Last treatment] the patient's latest treatment the clinic recorded

Rules that hold for every line:
- At most 80 columns, a full-width character counting 2 (40 全角): the width of a chart's
  free-text column, and of a terminal. A longer line wraps, its continuation indented 2 more
  columns; it never breaks inside a run of letters and digits (a word, a date, a lot number),
  nor puts 、。）」 and the like at the start of a line or （「 at the end.
- Plain text only: no HTML and nothing escaped, no emoji, no control or format characters (the
  patient's free text loses them, and its line breaks become spaces); no trailing spaces; each
  line ends with a line feed. The format's own characters are all in Shift_JIS (CP932), which
  older charts still store (typographic dashes become "-").
- Dates are YYYY-MM-DD, times HH:MM in the clinic's time zone; labels are the short labels of
  `intake.answers.short_labels` and the staff's labels of the choices; flag titles are the texts
  kept with the result.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal

from django.utils import timezone, translation

from intake import answers, screening
from intake.answers.short_labels import SHORT_LABELS
from intake.bilingual import LIST_SEPARATOR, Text, language_code
from intake.models import Decision, Intake, IntakeFlag, Treatment
from intake.review import selectors
from intake.selectors import answer_display

WIDTH = 80
INDENT = 2

# The format's words, in both languages: they are part of the format, like the data dictionary's.
TITLE = Text("問診", "Intake")
# A heading and what follows it on its line.
HEADING = Text("【{}】{}", "[{}] {}")
COLON = Text("：", ": ")
BULLET = Text("・", "- ")
STEP = Text("〈{}〉", "-- {} --")
FLAGS = Text("フラグ", "Flags")
FLAG_COUNT = Text("{}件", "{}")
ANSWERS = Text("回答", "Answers")
DATES = Text("日付", "Dates")
DATES_NOTE = Text("（基準日まで）", "(before the reference date)")
DECISION = Text("判断", "Decision")
LAST_TREATMENT = Text("前回施術", "Last treatment")
NONE = Text("なし", "none")
NO_DECISION = Text("未登録", "none yet")
NOT_LINKED = Text("患者記録に未リンク", "not linked to a patient record")
NOT_RECORDED = Text("記録なし", "none recorded")
AGE = Text("{}歳", "{} years")
BORN = Text("{}生", "born {}")
VISIT = Text("来院", "Visit")
APPOINTMENT = Text("（予約）", " (appointment)")
AS_GIVEN = Text("（本人記入）", " (as given)")
NOT_BOOKED = Text("未定", "not booked")
SENT = Text("送信", "sent")
VERDICT = Text("判定", "Verdict")
SUITABILITY = Text("効果予測", "Suitability")
RULES = Text("ルール", "Rules")
REFERENCE_DATE = Text("基準日", "reference date")
DAYS_BEFORE = Text("{}日前", "{} days before")
ONE_DAY_BEFORE = Text("1日前", "1 day before")
SAME_DAY = Text("当日", "same day")
DAYS_AFTER = Text("{}日後", "{} days after")
ONE_DAY_AFTER = Text("1日後", "1 day after")
UNITS = Text("{}単位", "{} U")
DILUTION = Text("希釈{}mL/100単位", "{} mL/100 U")
LOT = Text("ロット{}", "lot {}")

# Never at the start of a line (行頭禁則), never at its end (行末禁則).
NO_LINE_START = frozenset(
    "、。，．・：；？！）］｝」』】〉》〕ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々,.:;!?)]}"
)
NO_LINE_END = frozenset("（［｛「『【〈《〔([{")
# Pictographs and what composes them (variation selectors, keycaps); joiners are format
# characters (category Cf) and go with the rest of category C.
EMOJI = re.compile(
    "[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\u20e3\ufe00-\ufe0f\U0001f000-\U0001faff]"
)


# Typographic dashes Shift_JIS lacks (the English labels' "6–20"), as the hyphen it has.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"))


def clean(text: str) -> str:
    """Text as the chart gets it: without emoji or control characters, dashes as hyphens,
    whitespace (line breaks included) as single spaces."""
    kept = EMOJI.sub("", text).translate(DASHES)
    kept = "".join(
        " " if c.isspace() else c for c in kept if c.isspace() or unicodedata.category(c)[0] != "C"
    )
    return " ".join(kept.split())


def columns(text: str) -> int:
    """Display width: 2 for a wide, full-width or ambiguous character, 0 for a combining one."""
    return sum(
        0
        if unicodedata.combining(c)
        else 2
        if unicodedata.east_asian_width(c) in ("W", "F", "A")
        else 1
        for c in text
    )


def _units(text: str) -> list[str]:
    """What a line may not be broken inside: a run of narrow characters (a word, a date), one
    wide character with the punctuation that can't start a line glued on, a run of spaces."""
    units: list[str] = []
    for token in re.findall(r" +|[^ ]", text):
        previous = units[-1] if units else ""
        glue = (
            previous
            and not previous.isspace()
            and not token.isspace()
            and (
                token in NO_LINE_START
                or previous[-1] in NO_LINE_END
                or columns(token) == 0  # a combining mark stays with its letter
                or (columns(token) == 1 and columns(previous[-1]) <= 1)
            )
        )
        if glue:
            units[-1] += token
        else:
            units.append(token)
    return units


def wrap(text: str, *, indent: int = 0, hanging: bool = True) -> list[str]:
    """`text` in lines of at most WIDTH columns, indented by `indent`; continuation lines by 2
    more when `hanging` (a labelled line), else by as much (a paragraph, like a note)."""
    lines: list[str] = []
    line = " " * indent
    following = " " * (indent + INDENT if hanging else indent)
    for unit in _units(clean(text)):
        if unit.isspace():
            if line.strip():
                line += unit
            continue
        if columns(line + unit) > WIDTH and line.strip():
            lines.append(line.rstrip())
            line = following
        for character in unit if columns(line + unit) > WIDTH else (unit,):
            # A unit longer than a whole line: broken where it must be, character by character.
            if columns(line + character) > WIDTH and line.strip():
                lines.append(line.rstrip())
                line = following
            line += character
    lines.append(line.rstrip())
    return lines


def _labelled(label: str, value: str, language: str, *, indent: int = 0) -> list[str]:
    return wrap(f"{label}{COLON.in_language(language)}{value}", indent=indent)


def _number(value: Decimal) -> str:
    """22.5 as 22.5, 24.0 as 24."""
    return f"{value.normalize():f}"


def _days(days: int, language: str) -> str:
    if days == 0:
        return SAME_DAY.in_language(language)
    if days in (1, -1):
        return (ONE_DAY_BEFORE if days > 0 else ONE_DAY_AFTER).in_language(language)
    text = DAYS_BEFORE if days > 0 else DAYS_AFTER
    return text.in_language(language).format(abs(days))


def _date_and_time(intake: Intake) -> str:
    return timezone.localtime(intake.submitted_at).strftime("%Y-%m-%d %H:%M")


def _head(intake: Intake, language: str) -> list[str]:
    sex = answer_display(answers.QUESTIONS["sex"], intake.sex, language=language, staff=True)
    age = screening.completed_years(intake.date_of_birth, intake.current_reference_date)
    name = intake.full_name
    if intake.full_name_kana:
        name += (
            f"（{intake.full_name_kana}）" if language == "ja" else f" ({intake.full_name_kana})"
        )
    born = BORN.in_language(language).format(intake.date_of_birth.isoformat())
    parts = [name, sex, AGE.in_language(language).format(age), born]
    patient = " ".join(parts) if language == "ja" else ", ".join(parts)

    if intake.appointment_date:
        visit = intake.appointment_date.isoformat() + APPOINTMENT.in_language(language)
    elif intake.visit_date:
        visit = intake.visit_date.isoformat() + AS_GIVEN.in_language(language)
    else:
        visit = NOT_BOOKED.in_language(language)
    sent = f"{SENT.in_language(language)}{COLON.in_language(language)}{_date_and_time(intake)}"
    separator = " " if language == "ja" else ", "
    verdict = answers.VERDICT_LABELS[intake.current_verdict].in_language(language)
    suitability = answers.SUITABILITY_LABELS[intake.current_suitability].in_language(language)
    ruleset = (
        intake.current_rescreening.ruleset_version
        if intake.current_rescreening_id is not None
        else intake.ruleset_version
    )
    colon = COLON.in_language(language)
    reference_date = intake.current_reference_date.isoformat()
    return [
        *wrap(_heading(TITLE, language, intake.reference)),
        *wrap(patient),
        *wrap(f"{VISIT.in_language(language)}{colon}{visit}{separator}{sent}"),
        *wrap(
            f"{VERDICT.in_language(language)}{colon}{verdict} / "
            f"{SUITABILITY.in_language(language)}{colon}{suitability}"
        ),
        *wrap(
            f"{RULES.in_language(language)}{colon}{ruleset}{separator}"
            f"{REFERENCE_DATE.in_language(language)}{colon}{reference_date}"
        ),
    ]


def _heading(text: Text, language: str, rest: str = "") -> str:
    return HEADING.in_language(language).format(text.in_language(language), rest).rstrip()


def _trigger_value(key: str, value: object, language: str) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return answer_display(answers.QUESTIONS[key], value, language=language, staff=True)


def _flags(intake: Intake, flags: list[IntakeFlag], language: str) -> list[str]:
    count = FLAG_COUNT.in_language(language).format(len(flags))
    lines = [_heading(FLAGS, language, count)]
    values = intake.answers()
    for flag in flags:
        severity = answers.SEVERITY_LABELS[flag.severity].in_language(language)
        title = flag.text("title", language)
        lines += wrap(f"{BULLET.in_language(language)}[{severity}] {title}")
        for key in flag.keys:
            if key in answers.QUESTIONS:
                label = SHORT_LABELS[key].in_language(language)
                value = _trigger_value(key, values.get(key), language)
                lines += _labelled(label, value, language, indent=INDENT)
    return lines


def _answers(intake: Intake, language: str) -> list[str]:
    lines = [_heading(ANSWERS, language)]
    for section in selectors.answer_summary(intake, language=language, iso_dates=True):
        lines += wrap(STEP.in_language(language).format(section.label))
        for row in section.rows:
            lines += _labelled(row.label, row.value, language)
    return lines


def _dates(intake: Intake, language: str) -> list[str]:
    lines = [_heading(DATES, language, DATES_NOTE.in_language(language))]
    given = [item for item in selectors.key_dates(intake) if item.date is not None]
    for item in given:
        days = "" if item.days_before is None else _days(item.days_before, language)
        days = f"（{days}）" if language == "ja" else f" ({days})"
        lines += _labelled(item.label, item.date.isoformat() + days, language)
    if not given:
        lines.append(NONE.in_language(language))
    return lines


def _decision(decision: Decision | None, language: str) -> list[str]:
    if decision is None:
        return [_heading(DECISION, language, NO_DECISION.in_language(language))]
    doctor = decision.doctor.get_full_name() or decision.doctor.get_username()
    day = timezone.localdate(decision.decided_at).isoformat()
    separator = " " if language == "ja" else ", "
    head = separator.join([decision.get_outcome_display(), day, doctor])
    lines = wrap(_heading(DECISION, language, head))
    if decision.note:
        lines += wrap(decision.note, indent=INDENT, hanging=False)
    return lines


def _treatment(intake: Intake, treatment: Treatment | None, language: str) -> list[str]:
    if intake.patient_id is None or treatment is None:
        rest = (NOT_LINKED if intake.patient_id is None else NOT_RECORDED).in_language(language)
        return [_heading(LAST_TREATMENT, language, rest)]
    product = answers.QUESTIONS["botulinum_product"].choice_label(
        treatment.product, language, staff=True
    )
    areas = LIST_SEPARATOR.in_language(language).join(
        label.in_language(language) if (label := answers.TREATMENT_AREA_LABELS.get(code)) else code
        for code in treatment.areas
    )
    parts = [
        treatment.treated_on.isoformat(),
        product,
        UNITS.in_language(language).format(_number(treatment.total_units)),
        DILUTION.in_language(language).format(_number(treatment.dilution_ml_per_100u)),
        areas,
    ]
    if treatment.lot_number:
        parts.append(LOT.in_language(language).format(treatment.lot_number))
    separator = " " if language == "ja" else ", "
    lines = wrap(_heading(LAST_TREATMENT, language, separator.join(p for p in parts if p)))
    if treatment.note:
        lines += wrap(treatment.note, indent=INDENT, hanging=False)
    return lines


def chart_text(intake: Intake, *, language: str) -> str:
    """The chart text of `intake` (as `selectors.intake_for_review` loads it) in `language`."""
    language = language_code(language)
    with translation.override(language):
        lines = [
            *_head(intake, language),
            *_flags(intake, intake.current_flags(), language),
            *_answers(intake, language),
            *_dates(intake, language),
            *_decision(selectors.latest_decision(intake), language),
            *_treatment(intake, selectors.last_treatment(intake), language),
        ]
    return "\n".join(lines) + "\n"

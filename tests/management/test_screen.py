"""intake.management.commands.screen: validates like the web form (validate_answers), screens."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake import screening
from intake.management.commands.screen import Command as ScreenCommand
from intake.management.commands.screen import validate_answers
from tests.helpers import EXAMPLE_NAMES, EXAMPLES, ROOT

MANAGE_PY = ROOT / "manage.py"
AS_OF = "2026-12-01"

# Spec §2's table: which flags carry a note for the patient.
WITHOUT_PATIENT_NOTE = {
    "BONT_ALLERGY",
    "NEUROMUSCULAR_JUNCTION",
    "UNDER_18",
    "PRIOR_TOXIN_REACTION",
    "OTHER_NEUROMUSCULAR",
    "RESPIRATORY_SWALLOWING",
    "GLAUCOMA",
    "BLEEDING_DISORDER",
    "MILK_ALLERGY",
    "LIDOCAINE_ALLERGY",
    "AGE_65_PLUS",
    "KELOID",
    "ISOTRETINOIN_RECENT",
    "IMMUNOSUPPRESSED",
    "LIMITED_EVIDENCE_PIGMENT",
}


class Run:
    """What one run of the command printed, and its exit status."""

    def __init__(self, status: int, stdout: str, stderr: str) -> None:
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    @property
    def result(self) -> dict[str, Any]:
        assert self.status == 0, self.stderr
        return json.loads(self.stdout)

    @property
    def codes(self) -> list[str]:
        return [flag["code"] for flag in self.result["flags"]]

    @property
    def problems(self) -> list[str]:
        return self.stderr.splitlines()


def screen_file(
    path: Path | str,
    *,
    as_of: str | None = None,
    language: str | None = None,
    treated_on: Iterable[str] = (),
) -> Run:
    """Run the command as `manage.py screen` would, options parsed from the command line."""
    args = [str(path)]
    if as_of:
        args += ["--as-of", as_of]
    for date in treated_on:
        args += ["--treated-on", date]
    if language:
        args += ["--language", language]
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command("screen", *args, stdout=stdout, stderr=stderr)
    except SystemExit as exit_:
        return Run(int(exit_.code or 0), stdout.getvalue(), stderr.getvalue())
    return Run(0, stdout.getvalue(), stderr.getvalue())


def screen_json(
    data: Any,
    monkeypatch: pytest.MonkeyPatch,
    *,
    as_of: str | None = AS_OF,
    raw: str | None = None,
    treated_on: Iterable[str] = (),
) -> Run:
    """Run the command on `data` given on standard input (FILE "-")."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(raw if raw is not None else json.dumps(data)))
    return screen_file("-", as_of=as_of, treated_on=treated_on)


def baseline() -> dict[str, Any]:
    """Example 01 as JSON (a clean intake: OFF_LABEL only), screened on 2026-12-01."""
    data = json.loads((EXAMPLES / "01_clean_oily.in.json").read_text(encoding="utf-8"))
    data.pop("as_of")
    return data


def days(offset: int) -> str:
    return (datetime.date.fromisoformat(AS_OF) + datetime.timedelta(days=offset)).isoformat()


# The shared examples ------------------------------------------------------------------------------


def test_the_examples_are_all_here() -> None:
    assert len(EXAMPLE_NAMES) >= 8
    for name in EXAMPLE_NAMES:
        assert (EXAMPLES / f"{name}.out.json").exists()


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_shared_example_gives_the_expected_verdict_suitability_and_flags(
    name: str, tmp_path: Path
) -> None:
    given = json.loads((EXAMPLES / f"{name}.in.json").read_text(encoding="utf-8"))
    expected = json.loads((EXAMPLES / f"{name}.out.json").read_text(encoding="utf-8"))
    as_of = given.pop("as_of")  # the screening date, not an answer
    treated_on = given.pop("treated_on", [])  # the clinic's records, not answers either
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")

    run = screen_file(answers_file, as_of=as_of, treated_on=treated_on)

    assert run.stderr == ""
    assert run.result["verdict"] == expected["verdict"]
    assert run.result["suitability"] == expected["suitability"]
    assert run.codes == expected["flags"]
    if "reference_date" in expected:
        assert run.result["reference_date"] == expected["reference_date"]


# The output's shape -------------------------------------------------------------------------------
def assert_text(value: Any) -> None:
    assert set(value) == {"ja", "en"}
    assert all(isinstance(text, str) and text.strip() for text in value.values())


def test_the_output_has_exactly_the_shape_of_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        **baseline(),
        "skin_type": "dry",
        "keloid_history": True,
        "concerns": ["atrophic_scars", "acne_pigmentation"],
    }
    result = screen_json(data, monkeypatch).result

    assert set(result) == {"ruleset", "reference_date", "verdict", "suitability", "flags"}
    assert result["ruleset"] == screening.RULESET_VERSION
    assert result["reference_date"] == AS_OF
    assert result["verdict"] == "needs_review"
    assert result["suitability"] == "poor"
    for flag in result["flags"]:
        assert set(flag) == {"code", "severity", "title", "clinician_note", "patient_note"}
        assert flag["severity"] == screening.RULES_BY_CODE[flag["code"]].severity
        assert_text(flag["title"])
        assert_text(flag["clinician_note"])
        if flag["code"] in WITHOUT_PATIENT_NOTE:
            assert flag["patient_note"] is None
        else:
            assert_text(flag["patient_note"])
    codes = [flag["code"] for flag in result["flags"]]
    assert codes == [
        "KELOID",
        "DRY_SKIN",
        "OFF_LABEL",
        "LIMITED_BENEFIT_SCARS",
        "LIMITED_EVIDENCE_PIGMENT",
    ]


def test_the_output_is_one_line_of_json_with_japanese_written_as_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = screen_json(baseline(), monkeypatch)
    assert run.stdout.strip().count("\n") == 0
    assert "\\u" not in run.stdout
    assert screening.RULES_BY_CODE["OFF_LABEL"].title.ja in run.stdout


def test_the_flags_texts_are_those_of_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    (flag,) = screen_json(baseline(), monkeypatch).result["flags"]
    rule = screening.RULES_BY_CODE["OFF_LABEL"]
    assert flag["title"] == {"ja": rule.title.ja, "en": rule.title.en}
    assert flag["clinician_note"] == {"ja": rule.clinician_note.ja, "en": rule.clinician_note.en}


# Input --------------------------------------------------------------------------------------------
def test_a_dash_reads_the_answers_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    run = screen_json(baseline(), monkeypatch)
    assert run.status == 0
    assert run.codes == ["OFF_LABEL"]


def test_the_consent_keys_may_be_left_out_or_given(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "consent_privacy" not in baseline()
    assert screen_json(baseline(), monkeypatch).status == 0
    consented = {
        **baseline(),
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }
    assert screen_json(consented, monkeypatch).status == 0


@pytest.mark.parametrize(
    "consents",
    [
        {"consent_privacy": True},
        {"consent_privacy": True, "consent_off_label": None, "confirm_accurate": True},
        {"consent_privacy": None, "consent_off_label": None, "confirm_accurate": None},
    ],
)
def test_any_consent_key_may_be_left_out_or_null(
    consents: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert screen_json({**baseline(), **consents}, monkeypatch).codes == ["OFF_LABEL"]


def test_a_consent_given_as_false_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        **baseline(),
        "consent_privacy": True,
        "consent_off_label": False,
        "confirm_accurate": True,
    }
    run = screen_json(data, monkeypatch)
    assert run.status == 2
    assert run.problems == ["consent_off_label: Please confirm this to continue."]


def test_optional_keys_may_be_left_out_or_null(monkeypatch: pytest.MonkeyPatch) -> None:
    minimal = {
        key: value
        for key, value in baseline().items()
        if key
        in {
            "full_name",
            "date_of_birth",
            "sex",
            "phone",
            "skin_type",
            "concerns",
            "acne_lesion_count",
            "keloid_history",
            "isotretinoin",
            "botulinum_before",
            "pregnancy",
            "breastfeeding",
            "planning_pregnancy",
        }
    }
    assert screen_json(minimal, monkeypatch).codes == ["OFF_LABEL"]
    with_nulls = {
        **minimal,
        "full_name_kana": None,
        "email": None,
        "visit_date": None,
        "phototype": None,
        "skin_problems_now": None,
        "topical_retinoids": None,
        "last_resurfacing_date": None,
        "allergy_details": None,
        "upcoming_event_date": None,
    }
    assert screen_json(with_nulls, monkeypatch).codes == ["OFF_LABEL"]


def test_as_of_defaults_to_today_in_japan(monkeypatch: pytest.MonkeyPatch) -> None:
    result = screen_json(baseline(), monkeypatch, as_of=None).result
    assert result["reference_date"] == timezone.localdate().isoformat()


def test_the_visit_date_is_the_reference_date_when_given(monkeypatch: pytest.MonkeyPatch) -> None:
    result = screen_json({**baseline(), "visit_date": days(20)}, monkeypatch).result
    assert result["reference_date"] == days(20)


def test_full_width_digits_and_slashes_are_accepted_like_on_the_web_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = {
        **baseline(),
        "phone": "０６－６３７５－００００",
        "date_of_birth": "１９９５／０４／１０",
    }
    assert screen_json(data, monkeypatch).codes == ["OFF_LABEL"]


def test_an_answer_to_a_question_that_does_not_apply_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = {
        **baseline(),
        "isotretinoin": "never",
        "isotretinoin_last_dose": days(-30),
        "botulinum_before": False,
        "botulinum_last_date": days(-10),
        "botulinum_product": "unknown",
        "topical_retinoid_started": "2026-02-30",  # not even a date: dropped all the same
    }
    # Were they kept, ISOTRETINOIN_RECENT, RECENT_TOXIN and TOXIN_PRODUCT_UNKNOWN would be raised.
    assert screen_json(data, monkeypatch).codes == ["OFF_LABEL"]


# Invalid input: exit status 2, nothing on stdout, one line per problem naming the key -------------
def assert_refused(run: Run, expected_problems: list[str]) -> None:
    assert run.status == 2
    assert run.stdout == ""
    assert run.problems == expected_problems


def test_an_unknown_key_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    assert_refused(screen_json({**baseline(), "as_of": AS_OF}, monkeypatch), ["as_of: unknown key"])


def test_each_problem_is_one_line_naming_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        **baseline(),
        "full_name_kana": "山田",
        "phone": "12345",
        "sex": "alien",
        "skin_type": None,
        "botulinum_before": True,
        "retinoid_irritation": ["redness"],
        "upcoming_event_date": days(-1),
        "favourite_colour": "blue",
    }
    run = screen_json(data, monkeypatch)
    assert run.status == 2
    assert run.stdout == ""
    keys = [line.split(":", 1)[0] for line in run.problems]
    assert sorted(keys) == sorted(
        [
            "favourite_colour",
            "full_name_kana",
            "phone",
            "sex",
            "skin_type",
            "botulinum_last_date",
            "retinoid_irritation",
            "upcoming_event_date",
        ]
    )
    assert "skin_type: This field is required." in run.problems
    assert "favourite_colour: unknown key" in run.problems


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("full_name", 42, "must be a string"),
        ("date_of_birth", 19950410, "must be a string"),
        ("concerns", "oiliness", "must be a list of codes"),
        ("concerns", [1, 2], "must be a list of codes"),
        ("keloid_history", "no", "must be true or false"),
        ("keloid_history", 0, "must be true or false"),
        ("sex", ["female"], "must be a string"),
        ("breastfeeding", None, "This field is required."),
    ],
)
def test_a_value_of_the_wrong_json_type_is_a_problem_naming_its_key(
    key: str, value: Any, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_refused(screen_json({**baseline(), key: value}, monkeypatch), [f"{key}: {problem}"])


def test_input_that_is_not_json_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    run = screen_json(None, monkeypatch, raw="full_name: 山田")
    assert run.status == 2
    assert run.stdout == ""
    assert len(run.problems) == 1
    assert run.problems[0].startswith("-: not valid JSON")


@pytest.mark.parametrize("raw", ["[]", '"answers"', "null", "42"])
def test_json_that_is_not_an_object_is_refused(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_refused(
        screen_json(None, monkeypatch, raw=raw), ["-: must hold one JSON object of answers"]
    )


def test_a_file_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    run = screen_file(tmp_path / "missing.json", as_of=AS_OF)
    assert run.status == 2
    assert run.stdout == ""
    assert len(run.problems) == 1
    assert "missing.json" in run.problems[0]


def test_an_as_of_that_is_not_a_date_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--as-of"):
        call_command("screen", str(EXAMPLES / "01_clean_oily.in.json"), "--as-of", "2026-13-01")


def test_problems_can_be_explained_in_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {**baseline(), "phone": "12"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(data)))
    run = screen_file("-", as_of=AS_OF, language="ja")
    assert run.status == 2
    assert run.problems == [
        "phone: 電話番号は10〜15桁の数字で入力してください。"
        "使える記号はスペースと + - ( ) のみです。"
    ]


def test_dates_are_checked_against_the_as_of_date(monkeypatch: pytest.MonkeyPatch) -> None:
    tomorrow = {**baseline(), "last_resurfacing_date": days(1)}
    assert_refused(
        screen_json(tomorrow, monkeypatch),
        ["last_resurfacing_date: This date is in the future. Enter today or an earlier date."],
    )
    assert screen_json(tomorrow, monkeypatch, as_of=days(1)).status == 0


# The command as a program: real exit status, stdin, stdout and stderr -----------------------------
def run_program(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, str(MANAGE_PY), "screen", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=60,
        check=False,
    )


def test_the_program_refuses_invalid_input_with_status_2_and_only_the_problems_on_stderr() -> None:
    bad = run_program("-", "--as-of", AS_OF, stdin=json.dumps({**baseline(), "sex": 1, "x": 2}))
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert sorted(bad.stderr.splitlines()) == ["sex: must be a string", "x: unknown key"]


def test_a_malformed_as_of_on_the_command_line_is_a_usage_error_with_status_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        ScreenCommand().run_from_argv(["manage.py", "screen", "-", "--as-of", "tomorrow"])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "--as-of: not a date in YYYY-MM-DD form: 'tomorrow'" in captured.err
    assert "Traceback" not in captured.err


# Intakes beyond the examples, checked against the spec by hand ------------------------------------
BEYOND_THE_EXAMPLES = {
    "pregnant, recent toxin and a retinoid: contraindication, review, caution, info": (
        {
            "pregnancy": "pregnant",
            "botulinum_before": True,
            "botulinum_last_date": days(-30),
            "botulinum_product": "botox",
            "topical_retinoids": ["tretinoin"],
            "topical_retinoid_started": days(-60),
            "concerns": ["oiliness", "atrophic_scars"],
        },
        "not_suitable",
        "good",
        [
            "PREGNANCY_BREASTFEEDING",
            "RECENT_TOXIN",
            "TOPICAL_RETINOID",
            "OFF_LABEL",
            "LIMITED_BENEFIT_SCARS",
        ],
    ),
    "every contraindication, in table order": (
        {
            "skin_problems_now": ["cold_sore", "irritation_peeling"],
            "breastfeeding": True,
            "neuromuscular": ["myasthenia_gravis"],
            "allergies": ["human_albumin"],
            "date_of_birth": "2009-01-15",
        },
        "not_suitable",
        "good",
        [
            "BONT_ALLERGY",
            "NEUROMUSCULAR_JUNCTION",
            "PREGNANCY_BREASTFEEDING",
            "SITE_INFECTION",
            "UNDER_18",
            "SKIN_FLARE",
            "OFF_LABEL",
        ],
    ),
    "an allergic reaction to an earlier toxin, product unknown": (
        {
            "botulinum_before": True,
            "botulinum_last_date": days(-200),
            "botulinum_product": "unknown",
            "botulinum_reactions": ["drooping", "allergy"],
        },
        "not_suitable",
        "good",
        ["BONT_ALLERGY", "PRIOR_TOXIN_REACTION", "OFF_LABEL", "TOXIN_PRODUCT_UNKNOWN"],
    ),
    "seventeen today but eighteen on the visit date": (
        {"date_of_birth": "2008-12-15", "visit_date": "2026-12-15"},
        "suitable",
        "good",
        ["OFF_LABEL"],
    ),
    "seventeen on the screening date without a visit date": (
        {"date_of_birth": "2008-12-15"},
        "not_suitable",
        "good",
        ["UNDER_18", "OFF_LABEL"],
    ),
    "many review flags given in shuffled order come out in table order": (
        {
            "keloid_history": True,
            "acne_lesion_count": "51_plus",
            "other_conditions": ["glaucoma", "bleeding_disorder", "asthma_copd"],
            "allergies": ["lidocaine", "cow_milk_protein"],
            "neuromuscular": ["other_neuromuscular"],
            "medications": ["tranquilizer"],
            "isotretinoin": "current",
            "skin_problems_now": ["dermatitis"],
            "last_resurfacing_date": days(-5),
        },
        "needs_review",
        "good",
        [
            "OTHER_NEUROMUSCULAR",
            "RESPIRATORY_SWALLOWING",
            "GLAUCOMA",
            "BLEEDING_DISORDER",
            "MILK_ALLERGY",
            "LIDOCAINE_ALLERGY",
            "NMJ_DRUGS",
            "ISOTRETINOIN_CURRENT",
            "SKIN_FLARE",
            "RECENT_RESURFACING",
            "KELOID",
            "SEVERE_ACNE",
            "OFF_LABEL",
        ],
    ),
    "sixty-five with dry skin and only fine lines": (
        {"date_of_birth": "1961-11-30", "skin_type": "dry", "concerns": ["fine_lines"]},
        "needs_review",
        "poor",
        ["AGE_65_PLUS", "DRY_SKIN", "OFF_LABEL"],
    ),
    "sensitive skin on blood thinners, wanting less redness": (
        {
            "skin_type": "sensitive",
            "concerns": ["acne_redness"],
            "medications": ["otc_blood_thinning", "anticoagulant"],
        },
        "suitable_with_cautions",
        "partial",
        ["ANTICOAGULANT", "OTC_BLOOD_THINNING", "SENSITIVE_SKIN", "OFF_LABEL"],
    ),
    "cautions only: recent isotretinoin, an event, immunosuppression": (
        {
            "skin_type": "normal",
            "concerns": ["acne_pigmentation"],
            "isotretinoin": "past",
            "isotretinoin_last_dose": days(-100),
            "upcoming_event_date": days(13),
            "other_conditions": ["immunosuppressed"],
        },
        "suitable_with_cautions",
        "poor",
        [
            "ISOTRETINOIN_RECENT",
            "UPCOMING_EVENT",
            "IMMUNOSUPPRESSED",
            "OFF_LABEL",
            "LIMITED_EVIDENCE_PIGMENT",
        ],
    ),
    "pregnancy plans are for review since 2026.12-1, after the other review flags": (
        {
            "planning_pregnancy": True,
            "keloid_history": True,
            "acne_lesion_count": "21_50",
            "medications": ["otc_blood_thinning"],
        },
        "needs_review",
        "good",
        ["KELOID", "SEVERE_ACNE", "PLANNING_PREGNANCY", "OTC_BLOOD_THINNING", "OFF_LABEL"],
    ),
    "the visit date moves every interval: old toxin, event before the visit": (
        {
            "visit_date": days(19),
            "botulinum_before": True,
            "botulinum_last_date": days(-77),
            "botulinum_product": "dysport",
            "isotretinoin": "past",
            "isotretinoin_last_dose": days(-170),
            "upcoming_event_date": days(9),
            "last_resurfacing_date": days(-1),
        },
        "suitable",
        "good",
        ["OFF_LABEL"],
    ),
    "a retinoid started last week that irritates, combination skin, no target concern": (
        {
            "skin_type": "combination",
            "concerns": ["fine_lines", "other"],
            "topical_retinoids": ["adapalene", "retinol"],
            "topical_retinoid_started": days(-7),
            "retinoid_irritation": ["peeling"],
        },
        "needs_review",
        "partial",
        ["RETINOID_IRRITATION", "TOPICAL_RETINOID", "RETINOID_RECENT_START", "OFF_LABEL"],
    ),
    "possibly pregnant with a toxin 89 days before and a resurfacing 13 days before": (
        {
            "pregnancy": "possibly_pregnant",
            "botulinum_before": True,
            "botulinum_last_date": days(-89),
            "last_resurfacing_date": days(-13),
            "skin_type": "normal",
            "concerns": ["other"],
        },
        "not_suitable",
        "poor",
        [
            "PREGNANCY_BREASTFEEDING",
            "RECENT_TOXIN",
            "RECENT_RESURFACING",
            "OFF_LABEL",
            "TOXIN_PRODUCT_UNKNOWN",
        ],
    ),
    "just outside every interval: toxin 90, isotretinoin 182, start 28, peel 14, event 14": (
        {
            "botulinum_before": True,
            "botulinum_last_date": days(-90),
            "botulinum_product": "xeomin",
            "isotretinoin": "past",
            "isotretinoin_last_dose": days(-182),
            "topical_retinoids": ["tazarotene"],
            "topical_retinoid_started": days(-28),
            "last_resurfacing_date": days(-14),
            "upcoming_event_date": days(14),
        },
        "suitable_with_cautions",
        "good",
        ["TOPICAL_RETINOID", "OFF_LABEL"],
    ),
    # The clinic's records (--treated-on), checked against spec §2 and §3 by hand.
    "no earlier toxin answered, but the clinic treated 60 days before": (
        {"treated_on": [days(-60)]},
        "needs_review",
        "good",
        ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"],
    ),
    "the clinic's record 89 days before, the patient remembers 120 days": (
        {
            "botulinum_before": True,
            "botulinum_last_date": days(-120),
            "botulinum_product": "botox_vista",
            "treated_on": [days(-200), days(-89)],
        },
        "needs_review",
        "good",
        ["RECENT_TOXIN", "RECORD_MISMATCH", "OFF_LABEL"],
    ),
    "the clinic's record 90 days before, the patient's answer agrees": (
        {
            "botulinum_before": True,
            "botulinum_last_date": days(-90),
            "botulinum_product": "botox_vista",
            "treated_on": [days(-90)],
        },
        "suitable",
        "good",
        ["OFF_LABEL"],
    ),
    "treated elsewhere 30 days before, after the clinic's own 100 days before": (
        {
            "botulinum_before": True,
            "botulinum_last_date": days(-30),
            "botulinum_product": "other",
            "treated_on": [days(-100)],
        },
        "needs_review",
        "good",
        ["RECENT_TOXIN", "OFF_LABEL", "TOXIN_PRODUCT_UNKNOWN"],
    ),
    "treated at the clinic on the screening day: not history for this intake": (
        {"treated_on": [AS_OF]},
        "suitable",
        "good",
        ["OFF_LABEL"],
    ),
    "a record 80 days before the screening date is 90 before the visit": (
        {
            "visit_date": days(10),
            "botulinum_before": True,
            "botulinum_last_date": days(-80),
            "botulinum_product": "xeomin",
            "treated_on": [days(-80)],
        },
        "suitable",
        "good",
        ["OFF_LABEL"],
    ),
}


@pytest.mark.parametrize("case", list(BEYOND_THE_EXAMPLES))
def test_intakes_beyond_the_examples_get_the_verdict_suitability_and_flags_of_the_spec(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    changes, verdict, suitability, codes = BEYOND_THE_EXAMPLES[case]
    changes = dict(changes)
    treated_on = changes.pop("treated_on", [])  # as in the examples: --treated-on, not an answer
    result = screen_json({**baseline(), **changes}, monkeypatch, treated_on=treated_on).result
    assert (result["verdict"], result["suitability"]) == (verdict, suitability)
    assert [flag["code"] for flag in result["flags"]] == codes


@pytest.mark.parametrize(
    ("sex", "women", "men"),
    [
        ("female", True, False),
        ("male", False, True),
        ("other", True, True),
        ("undisclosed", True, True),
    ],
)
def test_the_pregnancy_planning_note_fits_the_patients_sex(
    sex: str, women: bool, men: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = screen_json({**baseline(), "sex": sex, "planning_pregnancy": True}, monkeypatch).result
    (note,) = [f["patient_note"] for f in result["flags"] if f["code"] == "PLANNING_PREGNANCY"]
    assert ("two menstrual periods" in note["en"]) is women
    assert ("3 months" in note["en"]) is men
    assert ("月経が2回" in note["ja"]) is women
    assert ("3か月" in note["ja"]) is men


# --treated-on (spec §3) ---------------------------------------------------------------------------
def test_treated_on_is_repeatable_and_the_latest_record_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert screen_json(baseline(), monkeypatch, treated_on=[days(-200)]).codes == [
        "RECORD_MISMATCH",
        "OFF_LABEL",
    ]
    assert screen_json(baseline(), monkeypatch, treated_on=[days(-200), days(-50)]).codes == [
        "RECENT_TOXIN",
        "RECORD_MISMATCH",
        "OFF_LABEL",
    ]


def test_the_reference_date_is_not_moved_by_the_records(monkeypatch: pytest.MonkeyPatch) -> None:
    result = screen_json(baseline(), monkeypatch, treated_on=[days(-50)]).result
    assert result["reference_date"] == AS_OF


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "yesterday", "20261101", ""])
def test_a_treated_on_that_is_not_a_date_is_a_problem_naming_the_key(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_refused(
        screen_json(baseline(), monkeypatch, treated_on=[days(-10), value]),
        [f"treated_on: not a date in YYYY-MM-DD form: {value!r}"],
    )


def test_a_treated_on_after_the_screening_date_is_a_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_refused(
        screen_json(baseline(), monkeypatch, treated_on=[days(1)]),
        [f"treated_on: {days(1)} is after the screening date {AS_OF}"],
    )
    # On the screening date itself it is a record like any other (and before no visit).
    assert screen_json(baseline(), monkeypatch, treated_on=[AS_OF]).codes == ["OFF_LABEL"]


def test_treated_on_problems_are_listed_with_the_answers_problems(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = screen_json(
        {**baseline(), "sex": "alien"}, monkeypatch, treated_on=["2026-12-31", "soon"]
    )
    assert run.status == 2
    assert run.stdout == ""
    assert [line.split(":", 1)[0] for line in run.problems] == ["sex", "treated_on", "treated_on"]


def test_the_program_refuses_a_bad_treated_on_with_status_2_and_one_line() -> None:
    bad = run_program(
        "-", "--as-of", AS_OF, "--treated-on", "2026-12-02", stdin=json.dumps(baseline())
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "treated_on: 2026-12-02 is after the screening date 2026-12-01"
    ]


# Kana and multi-selects, read as the web form reads them (spec §1) --------------------------------
@pytest.mark.parametrize("typed", ["やまだ はなこ", "ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ　はなこ"])
def test_hiragana_and_half_width_kana_are_accepted(
    typed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert screen_json({**baseline(), "full_name_kana": typed}, monkeypatch).codes == ["OFF_LABEL"]
    cleaned, problems = validate_answers(
        {**baseline(), "full_name_kana": typed}, today=datetime.date.fromisoformat(AS_OF)
    )
    assert problems == []
    assert cleaned["full_name_kana"] == "ヤマダ ハナコ"


def test_a_code_given_twice_counts_once_in_the_dictionarys_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = {
        **baseline(),
        "concerns": ["atrophic_scars", "oiliness", "atrophic_scars"],
        "medications": ["otc_blood_thinning", "otc_blood_thinning"],
    }
    cleaned, problems = validate_answers(data, today=datetime.date.fromisoformat(AS_OF))
    assert problems == []
    assert cleaned["concerns"] == ["oiliness", "atrophic_scars"]
    assert cleaned["medications"] == ["otc_blood_thinning"]
    assert screen_json(data, monkeypatch).codes == [
        "OTC_BLOOD_THINNING",
        "OFF_LABEL",
        "LIMITED_BENEFIT_SCARS",
    ]

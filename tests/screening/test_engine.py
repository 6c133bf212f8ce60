"""intake.screening (the engine): screen(), verdict, suitability, the shared examples; no Django."""

from __future__ import annotations

import ast
import datetime as dt
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake import answers as answer_keys
from intake.answers import SUITABILITY_LABELS
from intake.screening import (
    RULESET_VERSION,
    SEVERITIES,
    VERDICTS,
    screen,
    verdict_rank,
)
from tests.helpers import EXAMPLE_NAMES, EXAMPLES, ROOT
from tests.screening.helpers import (
    SPEC_TABLE,
    TODAY,
    answers,
    baseline,
    codes_for,
    codes_of,
    recorded,
    toxin,
)

# The modules of intake written with the standard library alone, which screening may read.
STANDARD_LIBRARY_MODULES = frozenset(
    {"intake.screening", "intake.answers", "intake.bilingual", "intake.text"}
)
TABLE_ORDER = {code: index for index, (code, _, _) in enumerate(SPEC_TABLE)}


@pytest.fixture
def clean_answers() -> dict[str, Any]:
    return baseline()


def test_clean_answers_raise_only_the_off_label_note(clean_answers):
    result = screen(clean_answers, today=TODAY)
    assert [flag.code for flag in result.flags] == ["OFF_LABEL"]
    assert result.verdict == "suitable"
    assert result.suitability == "good"
    assert result.ruleset == RULESET_VERSION
    assert result.reference_date == TODAY


# -- verdict, suitability, order, output --------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({"pregnancy": "pregnant", "keloid_history": True, "skin_type": "dry"}, "not_suitable"),
        ({"keloid_history": True, "skin_type": "dry"}, "needs_review"),
        ({"skin_type": "dry", "concerns": ["atrophic_scars"]}, "suitable_with_cautions"),
        ({"concerns": ["oiliness", "acne_pigmentation"]}, "suitable"),
    ],
    ids=["contraindication", "review", "caution", "info-only"],
)
def test_verdict_is_set_by_the_strongest_flag(changes, verdict):
    assert screen(answers(**changes), today=TODAY).verdict == verdict


@pytest.mark.parametrize(
    ("skin_type", "concerns", "expected"),
    [
        ("oily", ["oiliness"], "good"),
        ("combination", ["rosacea_redness", "fine_lines"], "good"),
        ("oily", ["active_acne"], "good"),
        ("dry", ["enlarged_pores"], "partial"),
        ("sensitive", ["acne_redness"], "partial"),
        ("oily", ["atrophic_scars"], "partial"),
        ("combination", ["other"], "partial"),
        ("dry", ["fine_lines", "acne_pigmentation"], "poor"),
        ("normal", ["other"], "poor"),
    ],
)
def test_suitability_weighs_skin_type_and_target_concerns(skin_type, concerns, expected):
    result = screen(answers(skin_type=skin_type, concerns=concerns), today=TODAY)
    assert result.suitability == expected


def test_flags_are_ordered_by_severity_then_table_order():
    intake = answers(
        skin_type="dry",
        planning_pregnancy=True,
        concerns=["atrophic_scars", "acne_pigmentation"],
        keloid_history=True,
        medications=["otc_blood_thinning", "tranquilizer"],
        allergies=["lidocaine", "botulinum_toxin"],
        **toxin(10, product="unknown"),
        **recorded(5),
    )
    assert codes_for(intake) == [
        "BONT_ALLERGY",
        "RECENT_TOXIN",
        "LIDOCAINE_ALLERGY",
        "NMJ_DRUGS",
        "KELOID",
        "PLANNING_PREGNANCY",
        "RECORD_MISMATCH",
        "OTC_BLOOD_THINNING",
        "DRY_SKIN",
        "OFF_LABEL",
        "TOXIN_PRODUCT_UNKNOWN",
        "LIMITED_BENEFIT_SCARS",
        "LIMITED_EVIDENCE_PIGMENT",
    ]


def test_verdict_rank_orders_the_most_urgent_first():
    assert [verdict_rank(verdict) for verdict in VERDICTS] == [0, 1, 2, 3]
    assert sorted(reversed(VERDICTS), key=verdict_rank) == list(VERDICTS)


def test_result_as_dict_has_the_shape_of_the_screen_command_output():
    result = screen(answers(planning_pregnancy=True, keloid_history=True), today=TODAY)
    data = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert set(data) == {"ruleset", "reference_date", "verdict", "suitability", "flags"}
    assert data["ruleset"] == RULESET_VERSION
    assert data["reference_date"] == "2026-12-01"
    assert data["verdict"] == "needs_review"
    assert [flag["code"] for flag in data["flags"]] == ["KELOID", "PLANNING_PREGNANCY", "OFF_LABEL"]
    for flag in data["flags"]:
        assert set(flag) == {
            "code",
            "severity",
            "title",
            "clinician_note",
            "patient_note",
        }
        assert set(flag["title"]) == set(flag["clinician_note"]) == {"ja", "en"}
    keloid, planning, _ = data["flags"]
    assert keloid["severity"] == "review"
    assert keloid["patient_note"] is None
    assert set(planning["patient_note"]) == {"ja", "en"}


def test_flags_carry_source_and_keys_for_the_doctor():
    (flag, _) = screen(answers(keloid_history=True), today=TODAY).flags
    assert flag.source == "P"
    assert flag.keys == ("keloid_history",)


# -- the shared examples ------------------------------------------------------------------------


def answers_from_json(data: dict[str, Any]) -> tuple[dict[str, Any], dt.date, list[dt.date]]:
    """The example's answers with ISO dates as dates, its screening date (`as_of`) and the
    clinic's recorded toxin treatments (`treated_on`, when it has any); neither is an answer."""
    data = dict(data)
    as_of = dt.date.fromisoformat(data.pop("as_of"))
    treated_on = [dt.date.fromisoformat(value) for value in data.pop("treated_on", [])]
    converted = {
        key: dt.date.fromisoformat(value) if key in answer_keys.DATE_KEYS and value else value
        for key, value in data.items()
    }
    return converted, as_of, treated_on


def test_the_shared_examples_are_here():
    assert len(EXAMPLE_NAMES) >= 8
    assert any("treated_on" in json.loads(path.read_text()) for path in EXAMPLES.glob("*.in.json"))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_screens_as_expected(name):
    data = json.loads((EXAMPLES / f"{name}.in.json").read_text())
    intake, as_of, treated_on = answers_from_json(data)
    expected = json.loads((EXAMPLES / f"{name}.out.json").read_text())
    result = screen(intake, today=as_of, treated_on=treated_on)
    assert result.reference_date.isoformat() == expected["reference_date"]
    assert result.verdict == expected["verdict"]
    assert result.suitability == expected["suitability"]
    assert [flag.code for flag in result.flags] == expected["flags"]


# -- no Django ----------------------------------------------------------------------------------


def test_screening_loads_without_importing_django():
    """In a fresh interpreter: the rules load, and nothing of Django (or of the app's Django side)
    comes with them; only the standard-library modules of intake that screening reads."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import intake.screening as screening\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'\n"
        "loaded = {m for m in sys.modules if m.startswith('intake.')}\n"
        f"plain = {sorted(STANDARD_LIBRARY_MODULES)!r}\n"
        "strays = {m for m in loaded if not any(m == p or m.startswith(p + '.') for p in plain)}\n"
        "assert not strays, strays\n"
        "assert len(screening.RULES) == 36\n"
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


def test_screening_imports_only_the_standard_library_and_intakes_plain_modules():
    files = sorted((ROOT / "intake" / "screening").glob("*.py"))
    assert files, "found no screening modules: is this the right folder?"
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, "no relative imports"
                imported.add(node.module or "")
        assert imported, f"{path.name}: found no imports"
        for module in imported:
            top = module.split(".")[0]
            assert top != "django", (path.name, module)
            assert (
                top in sys.stdlib_module_names
                or top == "__future__"
                or any(
                    module == plain or module.startswith(plain + ".")
                    for plain in STANDARD_LIBRARY_MODULES
                )
            ), (path.name, module)


# -- properties over the valid answer space -----------------------------------------------------

MULTI_CODES = {key: codes_of(key) for key in answer_keys.MULTI_KEYS}
CONCERNS = MULTI_CODES["concerns"]
# "unknown" is drawn on its own: the test of TOXIN_PRODUCT_UNKNOWN reads it apart.
PRODUCTS = tuple(code for code in codes_of("botulinum_product") if code != "unknown")
ACNE_COUNTS = codes_of("acne_lesion_count")  # mildest first


def _some(codes: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(codes), unique=True, min_size=min_size)


@st.composite
def valid_intakes(draw) -> tuple[dict[str, Any], dt.date]:
    """Answers that pass the spec's validation, with the screening date they were given on."""
    today = draw(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))

    def between(earliest: dt.date, latest: dt.date) -> dt.date:
        return draw(st.dates(earliest, latest))

    def optional(key: str, strategy: st.SearchStrategy[Any]) -> None:
        """Left out, null, or answered: the three shapes an optional answer arrives in."""
        shape = draw(st.sampled_from(("missing", "null", "answered")))
        if shape != "missing":
            intake[key] = draw(strategy) if shape == "answered" else None

    born = between(today - dt.timedelta(days=120 * 365), today)
    intake: dict[str, Any] = {
        "full_name": "山田 花子",
        "date_of_birth": born,
        "sex": draw(st.sampled_from(("female", "male", "other", "undisclosed"))),
        "phone": "06-6375-0000",
        "skin_type": draw(st.sampled_from(("normal", "dry", "oily", "combination", "sensitive"))),
        "concerns": draw(_some(CONCERNS, min_size=1)),
        "acne_lesion_count": draw(st.sampled_from(ACNE_COUNTS)),
        "keloid_history": draw(st.booleans()),
        "isotretinoin": draw(st.sampled_from(("never", "current", "past"))),
        "botulinum_before": draw(st.booleans()),
        "pregnancy": draw(
            st.sampled_from(("not_pregnant", "pregnant", "possibly_pregnant", "not_applicable"))
        ),
        "breastfeeding": draw(st.booleans()),
        "planning_pregnancy": draw(st.booleans()),
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }
    for key in ("skin_problems_now", "neuromuscular", "other_conditions", "allergies"):
        optional(key, _some(MULTI_CODES[key]))
    optional("medications", _some(MULTI_CODES["medications"]))
    optional("phototype", st.sampled_from(("I", "II", "III", "IV", "V", "VI", "unknown")))
    optional("visit_date", st.dates(today, today + dt.timedelta(days=365)))
    optional("last_resurfacing_date", st.dates(born, today))
    optional("upcoming_event_date", st.dates(today, today + dt.timedelta(days=400)))

    retinoids = draw(_some(MULTI_CODES["topical_retinoids"]))
    if retinoids:
        intake["topical_retinoids"] = retinoids
        intake["topical_retinoid_started"] = between(born, today)
        optional("retinoid_irritation", _some(MULTI_CODES["retinoid_irritation"]))
    if intake["isotretinoin"] == "past":
        intake["isotretinoin_last_dose"] = between(born, today)
    if intake["botulinum_before"]:
        intake["botulinum_last_date"] = between(born, today)
        optional("botulinum_product", st.sampled_from((*PRODUCTS, "unknown")))
        optional("botulinum_reactions", _some(MULTI_CODES["botulinum_reactions"]))
    return intake, today


@st.composite
def intakes_with_one_more_risk(draw) -> tuple[dict, dict, dt.date]:
    """A valid intake, and the same intake with one more risk answer (still valid)."""
    intake, today = draw(valid_intakes())
    riskier = dict(intake)

    def add_code(key: str) -> None:
        code = draw(st.sampled_from(MULTI_CODES[key]))
        riskier[key] = sorted({*(intake.get(key) or ()), code})

    def a_past_date() -> dt.date:
        return draw(st.dates(intake["date_of_birth"], today))

    step = draw(
        st.sampled_from(
            ("multi", "yes", "pregnancy", "isotretinoin", "acne", "toxin", "retinoid", "dates")
        )
    )
    if step == "multi":
        add_code(
            draw(
                st.sampled_from(
                    ("concerns", "skin_problems_now", "neuromuscular", "other_conditions")
                    + ("allergies", "medications")
                )
            )
        )
    elif step == "yes":
        yes_no = draw(st.sampled_from(("keloid_history", "breastfeeding", "planning_pregnancy")))
        riskier[yes_no] = True
    elif step == "pregnancy":
        riskier["pregnancy"] = draw(st.sampled_from(("pregnant", "possibly_pregnant")))
    elif step == "isotretinoin":
        if intake["isotretinoin"] == "never" and draw(st.booleans()):
            riskier["isotretinoin"] = "past"
            riskier["isotretinoin_last_dose"] = a_past_date()
        else:
            riskier["isotretinoin"] = "current"
            riskier.pop("isotretinoin_last_dose", None)
    elif step == "acne":
        level = ACNE_COUNTS.index(intake["acne_lesion_count"])
        riskier["acne_lesion_count"] = ACNE_COUNTS[min(level + 1, len(ACNE_COUNTS) - 1)]
    elif step == "toxin" and intake["botulinum_before"]:
        if draw(st.booleans()):
            add_code("botulinum_reactions")
        else:
            riskier["botulinum_product"] = "unknown"
    elif step == "toxin":
        riskier["botulinum_before"] = True
        riskier["botulinum_last_date"] = a_past_date()
    elif step == "retinoid" and intake.get("topical_retinoids"):
        add_code(draw(st.sampled_from(("topical_retinoids", "retinoid_irritation"))))
    elif step == "retinoid":
        add_code("topical_retinoids")
        riskier["topical_retinoid_started"] = a_past_date()
    elif step == "dates" and not intake.get("last_resurfacing_date"):
        riskier["last_resurfacing_date"] = a_past_date()
    elif step == "dates" and not intake.get("upcoming_event_date"):
        riskier["upcoming_event_date"] = draw(st.dates(today, today + dt.timedelta(days=60)))
    return intake, riskier, today


@st.composite
def intakes_with_records(draw) -> tuple[dict[str, Any], dt.date, list[dt.date], dt.date | None]:
    """A valid intake, the clinic's recorded toxin treatments (none to four, each between the
    date of birth and the screening date, as the `screen` command accepts them) and, sometimes,
    an appointment date the clinic set."""
    intake, today = draw(valid_intakes())
    born = intake["date_of_birth"]
    records = draw(st.lists(st.dates(born, today), max_size=4))
    appointment = draw(st.none() | st.dates(today, today + dt.timedelta(days=365)))
    return intake, today, records, appointment


@settings(max_examples=200, deadline=None)
@given(intakes_with_records())
def test_any_valid_intake_screens_to_a_well_formed_result(drawn):
    intake, today, records, appointment = drawn
    result = screen(intake, today=today, treated_on=records, appointment_date=appointment)
    assert result.verdict in VERDICTS
    assert result.suitability in SUITABILITY_LABELS
    codes = [flag.code for flag in result.flags]
    assert "OFF_LABEL" in codes
    assert len(codes) == len(set(codes))
    order = [(SEVERITIES.index(flag.severity), TABLE_ORDER[flag.code]) for flag in result.flags]
    assert order == sorted(order)
    assert result.verdict == VERDICTS[order[0][0]]
    assert result.reference_date == (appointment or intake.get("visit_date") or today)
    json.dumps(result.as_dict())


@settings(max_examples=200, deadline=None)
@given(intakes_with_one_more_risk())
def test_one_more_risk_answer_never_improves_the_verdict(drawn):
    intake, riskier, today = drawn
    before = screen(intake, today=today)
    after = screen(riskier, today=today)
    assert verdict_rank(after.verdict) <= verdict_rank(before.verdict)


@settings(max_examples=200, deadline=None)
@given(intakes_with_records(), st.data())
def test_one_more_record_never_improves_the_verdict_nor_removes_a_flag(drawn, data):
    intake, today, records, appointment = drawn
    more = [*records, data.draw(st.dates(intake["date_of_birth"], today))]
    before = screen(intake, today=today, treated_on=records, appointment_date=appointment)
    after = screen(intake, today=today, treated_on=more, appointment_date=appointment)
    assert verdict_rank(after.verdict) <= verdict_rank(before.verdict)
    assert {flag.code for flag in before.flags} <= {flag.code for flag in after.flags}


@settings(max_examples=200, deadline=None)
@given(intakes_with_records(), st.data())
def test_records_on_or_after_the_reference_date_change_nothing(drawn, data):
    intake, today, _records, appointment = drawn
    without = screen(intake, today=today, appointment_date=appointment)
    later = data.draw(
        st.lists(st.dates(without.reference_date, without.reference_date + dt.timedelta(days=400)))
    )
    assert screen(intake, today=today, treated_on=later, appointment_date=appointment) == without


@settings(max_examples=200, deadline=None)
@given(intakes_with_records())
def test_answers_that_agree_with_the_latest_record_raise_no_mismatch(drawn):
    intake, today, records, appointment = drawn
    reference = appointment or intake.get("visit_date") or today
    counted = [date for date in records if date < reference]
    if not counted:
        return
    latest = max(counted)
    agreeing = {**intake, "botulinum_before": True, "botulinum_last_date": latest}
    result = screen(agreeing, today=today, treated_on=records, appointment_date=appointment)
    codes = {flag.code for flag in result.flags}
    assert "RECORD_MISMATCH" not in codes
    assert ("RECENT_TOXIN" in codes) == ((reference - latest).days < 90)

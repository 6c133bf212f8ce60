"""intake.export: the CSV's columns, the result at submission and the current result beside it
(the rule set, whether and why re-screened)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from intake import export
from intake.models import Intake
from intake.patients import services as patient_services
from intake.screening import RULESET_VERSION


def exported(intake: Intake, language: str = "en") -> dict[str, str]:
    out = io.StringIO()
    export.write_csv([Intake.objects.get(pk=intake.pk)], language=language, out=out)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    return dict(zip(header, row, strict=True))


def test_the_current_result_comes_after_the_result_at_submission() -> None:
    header = export.columns()

    assert header[-len(export.CURRENT_COLUMNS) :] == export.CURRENT_COLUMNS
    assert header.index("flags_label") + 1 == header.index("rescreened")
    assert len(header) == len(set(header))


def test_an_intake_never_rescreened_exports_its_result_at_submission_as_current(
    make_intake: Callable[..., Intake],
) -> None:
    row = exported(make_intake(keloid_history=True))

    assert row["rescreened"] == "false"
    assert row["rescreened_at"] == row["rescreen_reason"] == row["rescreen_reason_label"] == ""
    assert row["current_ruleset_version"] == row["ruleset_version"] == RULESET_VERSION
    for column in ("reference_date", "verdict", "verdict_label", "suitability", "flags"):
        assert row[f"current_{column}"] == row[column], column
    assert row["current_verdict"] == "needs_review"


def test_a_rescreened_intake_exports_both_results_and_why_it_changed(
    returning: dict[str, Any],
) -> None:
    # Linked to a patient the clinic treated 60 days ago, though the answers say never.
    current = returning["current"]
    patient_services.intake_link(
        intake=current, patient=returning["patient"], by=returning["patient"].created_by
    )

    row = exported(current)

    assert row["verdict"] == "suitable"  # at submission, kept
    assert "RECORD_MISMATCH" not in row["flags"].split(";")
    assert row["rescreened"] == "true"
    assert row["rescreened_at"].startswith(str(current.current_rescreening.created_at.year))
    assert row["rescreen_reason"] == "linked"
    assert row["rescreen_reason_label"] == "Linked to a patient record"
    assert row["current_ruleset_version"] == RULESET_VERSION
    assert row["current_verdict"] == "needs_review"
    assert row["current_verdict_label"] == "Needs review"
    assert {"RECENT_TOXIN", "RECORD_MISMATCH"} <= set(row["current_flags"].split(";"))
    assert "Answers differ from the clinic's treatment record" in row["current_flags_label"]


def test_the_current_result_s_labels_in_japanese(returning: dict[str, Any]) -> None:
    current = returning["current"]
    patient_services.intake_link(
        intake=current, patient=returning["patient"], by=returning["patient"].created_by
    )

    row = exported(current, "ja")

    assert row["current_verdict_label"] == "要医師確認"
    assert row["rescreen_reason_label"] == "患者記録に紐づけたため"
    assert "当院の施術記録と回答が一致しない" in row["current_flags_label"]

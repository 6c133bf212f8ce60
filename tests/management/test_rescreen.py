"""intake.management.commands.rescreen: current rules over stored answers, nothing overwritten."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Callable, Iterable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake import answers, screening, selectors, services
from intake.models import Intake, Rescreening
from intake.screening.conditions import both, is_one_of, within_days_before, yes

NEW_VERSION = "2099.01-1"
VERSION_AT_SUBMIT = screening.RULESET_VERSION


def use_rules(
    monkeypatch: pytest.MonkeyPatch, rules: Iterable[screening.Rule], version: str = NEW_VERSION
) -> None:
    """Make `screening.screen` run `rules` under `version`, as a new ruleset release would.

    The engine orders its checks once at import (strongest severity first); that order is
    rebuilt here the same way.
    """
    rules = tuple(rules)
    ordered = tuple(sorted(rules, key=lambda rule: screening.SEVERITIES.index(rule.severity)))
    monkeypatch.setattr(screening, "RULES", rules)
    monkeypatch.setattr(screening, "RULES_BY_CODE", {rule.code: rule for rule in rules})
    monkeypatch.setattr(screening, "_RULES_IN_FLAG_ORDER", ordered)
    monkeypatch.setattr(screening, "_CHECKS", tuple((rule.test, rule) for rule in ordered))
    monkeypatch.setattr(screening, "RULESET_VERSION", version)


def keloids_become_a_contraindication(monkeypatch: pytest.MonkeyPatch) -> None:
    use_rules(
        monkeypatch,
        (
            dataclasses.replace(rule, severity=screening.CONTRAINDICATION)
            if rule.code == "KELOID"
            else rule
            for rule in screening.RULES
        ),
    )


def run(*args: str) -> str:
    out = StringIO()
    call_command("rescreen", *args, stdout=out)
    return out.getvalue()


def test_the_same_rules_change_nothing(make_intake: Callable[..., Intake]) -> None:
    make_intake(keloid_history=True)
    make_intake(pregnancy="pregnant")
    output = run()
    assert "Re-screened 2 open intakes" in output
    assert "0 changed, 2 unchanged" in output
    assert not Rescreening.objects.exists()


def test_a_changed_rule_stores_a_new_result_beside_the_original(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    affected = make_intake(keloid_history=True)
    unaffected = make_intake(pregnancy="pregnant")
    original_flags = list(affected.flags.values_list("code", "severity"))
    keloids_become_a_contraindication(monkeypatch)

    output = run()
    assert f"Re-screened 2 open intakes with ruleset {NEW_VERSION}: 1 changed" in output

    rescreening = Rescreening.objects.get()
    assert rescreening.intake == affected
    assert rescreening.ruleset_version == NEW_VERSION
    assert rescreening.verdict == "not_suitable"
    assert rescreening.suitability == affected.suitability
    assert rescreening.reference_date == affected.reference_date
    assert rescreening.result["ruleset"] == NEW_VERSION
    assert [flag["code"] for flag in rescreening.result["flags"]] == ["KELOID", "OFF_LABEL"]
    assert rescreening.result["flags"][0]["severity"] == "contraindication"

    # The original is untouched.
    affected.refresh_from_db()
    assert affected.verdict == "needs_review"
    assert affected.ruleset_version == VERSION_AT_SUBMIT
    assert list(affected.flags.values_list("code", "severity")) == original_flags
    assert not unaffected.rescreenings.exists()


def test_running_again_stores_nothing_more_until_the_rules_change_again(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)
    run()
    assert "0 changed, 1 unchanged" in run()
    assert intake.rescreenings.count() == 1

    # A later release drops the rule: compared with the latest re-screening, that differs.
    use_rules(monkeypatch, (rule for rule in screening.RULES if rule.code != "KELOID"))
    assert "1 changed" in run()
    latest, earlier = intake.rescreenings.order_by("-created_at", "-id")
    assert latest.verdict == "suitable"
    assert [flag["code"] for flag in latest.result["flags"]] == ["OFF_LABEL"]
    assert earlier.verdict == "not_suitable"


def test_the_reference_date_stays_the_submission_day_for_intakes_without_a_visit(
    db: Any, today: datetime.date
) -> None:
    # Toxin 80 days before submission: RECENT_TOXIN then. Re-screened "today" months later it
    # would no longer be recent; the command must measure to the day of submission.
    submitted = timezone.now() - datetime.timedelta(days=100)
    intake = services.intake_submit(
        answers_given={
            **answers.example_answers(today),
            "visit_date": None,
            "botulinum_before": True,
            "botulinum_last_date": timezone.localdate(submitted) - datetime.timedelta(days=80),
            "botulinum_product": "botox_vista",
        },
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
        now=submitted,
    )
    assert "RECENT_TOXIN" in intake.flags.values_list("code", flat=True)
    assert "0 changed" in run()
    assert services.intake_rescreen(intake=intake) is None


def test_open_is_the_default_and_all_includes_decided_intakes(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    open_intake = make_intake(keloid_history=True)
    decided = make_intake(keloid_history=True)
    Intake.objects.filter(pk=decided.pk).update(status=Intake.Status.DECIDED)
    keloids_become_a_contraindication(monkeypatch)

    assert "Re-screened 1 open intakes" in run("--open")
    assert open_intake.rescreenings.count() == 1
    assert not decided.rescreenings.exists()

    output = run("--all")
    assert "Re-screened 2 intakes" in output
    assert "1 changed, 1 unchanged" in output
    assert decided.rescreenings.count() == 1


def test_open_and_all_cannot_be_given_together() -> None:
    with pytest.raises(CommandError):
        call_command("rescreen", "--open", "--all")


def test_the_command_prints_counts_never_answers(
    monkeypatch: pytest.MonkeyPatch, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)
    output = run()
    for secret in (intake.full_name, intake.reference, intake.phone, "KELOID"):
        assert secret not in output


def test_the_doctor_sees_the_difference_after_a_rescreen(
    monkeypatch: pytest.MonkeyPatch, doctor_client: Client, make_intake: Callable[..., Intake]
) -> None:
    intake = make_intake(keloid_history=True)
    keloids_become_a_contraindication(monkeypatch)
    run()
    response = doctor_client.get(reverse("review:intake", kwargs={"reference": intake.reference}))
    difference = response.context["rescreening"]
    assert difference.verdict_before == "Needs review"
    assert difference.verdict_after == "Contraindicated (no treatment this time)"
    assert [flag.code for flag in difference.severity_changed] == ["KELOID"]
    assert "The rules changed since submission" in response.content.decode()


# Rule set 2026.12-1 over intakes stored under 2026.11-1 -----------------------------------------
def rules_of_2026_11_1() -> tuple[screening.Rule, ...]:
    """The rules as 2026.11-1 had them where 2026.12-1 changed them (texts aside): RECENT_TOXIN
    at 84 days from the answer alone, PLANNING_PREGNANCY a caution, TOXIN_PRODUCT_UNKNOWN not
    for `other`, and no RECORD_MISMATCH."""
    changed = {
        "RECENT_TOXIN": {"test": within_days_before("botulinum_last_date", 84)},
        "PLANNING_PREGNANCY": {"severity": screening.CAUTION},
        "TOXIN_PRODUCT_UNKNOWN": {
            "test": both(
                yes("botulinum_before"), is_one_of("botulinum_product", None, "", "unknown")
            )
        },
    }
    return tuple(
        dataclasses.replace(rule, **changed.get(rule.code, {}))
        for rule in screening.RULES
        if rule.code != "RECORD_MISMATCH"
    )


def submitted_under_2026_11_1(today: datetime.date, **overrides: Any) -> Intake:
    with pytest.MonkeyPatch.context() as old_release:
        use_rules(old_release, rules_of_2026_11_1(), version="2026.11-1")
        return services.intake_submit(
            answers_given={**answers.example_answers(today), "visit_date": None, **overrides},
            language="ja",
            consent_document=selectors.current_consent_document(),
            submission_token=uuid.uuid4(),
        )


def toxin_days_before(today: datetime.date, days: int, product: str) -> dict[str, Any]:
    return {
        "botulinum_before": True,
        "botulinum_last_date": today - datetime.timedelta(days=days),
        "botulinum_product": product,
    }


def stored_flags(intake: Intake) -> list[tuple[str, str]]:
    return list(intake.flags.values_list("code", "severity"))


def test_rescreening_under_2026_12_1_shows_what_the_new_rules_change(
    db: Any, today: datetime.date, doctor_client: Client
) -> None:
    assert screening.RULESET_VERSION == "2026.12-1"
    toxin_85_days_planning = submitted_under_2026_11_1(
        today, planning_pregnancy=True, **toxin_days_before(today, 85, "botox_vista")
    )
    other_product = submitted_under_2026_11_1(today, **toxin_days_before(today, 200, "other"))
    unchanged = submitted_under_2026_11_1(today, **toxin_days_before(today, 95, "botox"))
    assert toxin_85_days_planning.ruleset_version == "2026.11-1"
    assert toxin_85_days_planning.verdict == "suitable_with_cautions"
    assert stored_flags(toxin_85_days_planning) == [
        ("PLANNING_PREGNANCY", "caution"),
        ("OFF_LABEL", "info"),
    ]

    output = run()

    assert "Re-screened 3 open intakes with ruleset 2026.12-1: 2 changed, 1 unchanged" in output
    rescreening = toxin_85_days_planning.rescreenings.get()
    assert rescreening.ruleset_version == "2026.12-1"
    assert rescreening.verdict == "needs_review"
    assert [(flag["code"], flag["severity"]) for flag in rescreening.result["flags"]] == [
        ("RECENT_TOXIN", "review"),
        ("PLANNING_PREGNANCY", "review"),
        ("OFF_LABEL", "info"),
    ]
    assert [flag["code"] for flag in other_product.rescreenings.get().result["flags"]] == [
        "OFF_LABEL",
        "TOXIN_PRODUCT_UNKNOWN",
    ]
    assert not unchanged.rescreenings.exists()

    # What was stored under 2026.11-1 stays as it was.
    toxin_85_days_planning.refresh_from_db()
    assert toxin_85_days_planning.ruleset_version == "2026.11-1"
    assert toxin_85_days_planning.verdict == "suitable_with_cautions"
    assert stored_flags(toxin_85_days_planning) == [
        ("PLANNING_PREGNANCY", "caution"),
        ("OFF_LABEL", "info"),
    ]

    # The doctor sees the change beside the original.
    page = reverse("review:intake", kwargs={"reference": toxin_85_days_planning.reference})
    difference = doctor_client.get(page).context["rescreening"]
    assert (difference.verdict_before, difference.verdict_after) == (
        "Cautions to note",
        "Needs review",
    )
    assert [flag.code for flag in difference.flags_added] == ["RECENT_TOXIN"]
    assert [flag.code for flag in difference.severity_changed] == ["PLANNING_PREGNANCY"]
    assert (
        difference.severity_changed[0].earlier_severity_label,
        difference.severity_changed[0].severity_label,
    ) == ("Caution", "Review")


# The clinic's records ----------------------------------------------------------------------------
def test_the_command_screens_with_the_clinics_records_and_agrees_with_the_automatic_runs(
    returning: dict[str, Any], receptionist: Any, doctor: Any
) -> None:
    from intake.models import Treatment
    from intake.patients import services as patient_services

    current, patient = returning["current"], returning["patient"]
    patient_services.intake_link(intake=current, patient=patient, by=receptionist)
    # The link already screened with the records: the command finds nothing to add.
    assert "0 changed" in run()

    # A record stored without the service (an import, say): the command reads it too.
    Treatment.objects.create(
        patient=patient,
        doctor=doctor,
        treated_on=timezone.localdate() - datetime.timedelta(days=200),
        product="botox",
        dilution_ml_per_100u=2.5,
        total_units=20,
        areas=["cheeks"],
        recorded_at=timezone.now(),
        supersedes=returning["treatment"],
    )
    assert "1 changed" in run()
    latest = current.rescreenings.order_by("-created_at", "-pk").first()
    assert [flag["code"] for flag in latest.result["flags"]] == ["RECORD_MISMATCH", "OFF_LABEL"]
    assert latest.reason == Rescreening.Reason.RULESET
    assert latest.requested_by is None
    assert latest.reference_date == current.reference_date
    current.refresh_from_db()
    assert current.current_rescreening == latest

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

NEW_VERSION = "2099.01-1"
VERSION_AT_SUBMIT = screening.RULESET_VERSION


def use_rules(monkeypatch: pytest.MonkeyPatch, rules: Iterable[screening.Rule]) -> None:
    """Make `screening.screen` run `rules` under NEW_VERSION, as a new ruleset release would.

    The engine orders its checks once at import (strongest severity first); that order is
    rebuilt here the same way.
    """
    rules = tuple(rules)
    ordered = tuple(sorted(rules, key=lambda rule: screening.SEVERITIES.index(rule.severity)))
    monkeypatch.setattr(screening, "RULES", rules)
    monkeypatch.setattr(screening, "RULES_BY_CODE", {rule.code: rule for rule in rules})
    monkeypatch.setattr(screening, "_RULES_IN_FLAG_ORDER", ordered)
    monkeypatch.setattr(screening, "_CHECKS", tuple((rule.test, rule) for rule in ordered))
    monkeypatch.setattr(screening, "RULESET_VERSION", NEW_VERSION)


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
    assert difference.verdict_after == "Not suitable"
    assert [flag.code for flag in difference.severity_changed] == ["KELOID"]
    assert "The rules changed since submission" in response.content.decode()

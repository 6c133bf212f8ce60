"""intake.export: the CSV's columns, the result at submission and the current result beside it
(the rule set, whether and why re-screened)."""

from __future__ import annotations

import csv
import datetime
import io
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from intake import answers, export, heartbeat, selectors, services
from intake.models import AccessRecord, Intake
from intake.patients import services as patient_services
from intake.screening import RULESET_VERSION
from tests.fixed_intake import fixed_intake
from tests.live_server import HOST, database_url, gunicorn, server_env
from tests.wizard_http import HttpClient, new_csrf_secret


def exported(intake: Intake, language: str = "en") -> dict[str, str]:
    parts = export.csv_stream(
        Intake.objects.filter(pk=intake.pk), language=language, before_sending=lambda _: None
    )
    header, row = csv.reader(io.StringIO(b"".join(parts).decode("utf-8-sig")))
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


# The file as downloaded from the admin ------------------------------------------------------------
GOLDEN = Path(__file__).resolve().parent / "golden"
FORMULA_SUBMITTED = timezone.make_aware(datetime.datetime(2026, 11, 21, 14, 0))


@pytest.fixture
def exporter(doctor: User) -> User:
    """A doctor to whom the administrator granted the export."""
    doctor.user_permissions.add(Permission.objects.get(codename="export_intake"))
    return doctor


def download(client: Client, language: str, intakes: QuerySet | None = None) -> bytes:
    """The export of `intakes` (all of them by default) through the admin action, as the browser
    receives it."""
    selected = intakes if intakes is not None else Intake.objects.all()
    response = client.post(
        reverse("admin:intake_intake_changelist"),
        {
            "action": f"export_csv_{language}",
            "_selected_action": list(selected.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_exported_file_is_the_golden_file_byte_for_byte(
    staff_client: Callable[[str], Client], exporter: User, receptionist: User, language: str
) -> None:
    """Columns, codes and labels, the byte order mark, line ends, quoting and the guard against
    formulas, exactly as the export wrote them when it built the whole file in memory."""
    fixed_intake(doctor=exporter, receptionist=receptionist)
    formula = services.intake_submit(
        answers_given={
            **answers.example_answers(FORMULA_SUBMITTED.date()),
            "full_name": "=HYPERLINK(1)",
            "full_name_kana": "@ヤマダ",
            "phone": "+81 6 6375 0000",
            "allergy_details": '-1, "quoted"\nnext line',
        },
        language="en",
        consent_document=selectors.current_consent_document(today=FORMULA_SUBMITTED.date()),
        submission_token=uuid.uuid5(uuid.NAMESPACE_URL, "tests/test_export/formula"),
        now=FORMULA_SUBMITTED,
    )
    Intake.objects.filter(pk=formula.pk).update(reference="GLD0-0002")

    body = download(staff_client("doctor"), language)

    golden = GOLDEN / f"export_{language}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(body)
    assert body == golden.read_bytes()


def export_all(client: Client, language: str = "en") -> Iterator[bytes]:
    """The parts of the export of every intake, as the server sends them."""
    response = client.post(
        reverse("admin:intake_intake_changelist"),
        {"action": f"export_csv_{language}", "_selected_action": [Intake.objects.first().pk]}
        | {"select_across": "1", "index": "0"},
    )
    assert response.status_code == 200
    return iter(response.streaming_content)


def references(part: bytes) -> list[str]:
    text = part.decode("utf-8").removeprefix("\ufeff")
    return [row[0] for row in csv.reader(io.StringIO(text)) if row[0] != "reference"]


@pytest.fixture
def seven_intakes(make_intake: Callable[..., Intake]) -> list[Intake]:
    """Seven intakes, three of them submitted at the same second, in the export's order: by
    submission, then as stored."""
    made = [make_intake() for _ in range(7)]
    start = timezone.now() - datetime.timedelta(days=1)
    minutes = [5, 3, 3, 0, 9, 3, 1]
    for intake, minute in zip(made, minutes, strict=True):
        intake.submitted_at = start + datetime.timedelta(minutes=minute)
        intake.save(update_fields=["submitted_at"])
    return sorted(made, key=lambda intake: (intake.submitted_at, intake.pk))


def test_a_batch_is_recorded_before_it_is_sent_and_every_intake_is_sent_once_in_order(
    staff_client: Callable[[str], Client],
    exporter: User,
    seven_intakes: list[Intake],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    exported = AccessRecord.objects.filter(action=AccessRecord.Action.EXPORT)

    parts = export_all(staff_client("doctor"))

    header = next(parts)
    assert header.startswith(export.BOM + b"reference,submitted_at,")
    assert not exported.exists()
    sent: list[str] = []
    for size in (3, 3, 1):
        part = next(parts)
        sent += references(part)
        assert len(references(part)) == size
        # Each intake sent so far is recorded once, and no other.
        recorded = sorted(exported.values_list("intake__reference", flat=True))
        assert recorded == sorted(sent)
    assert next(parts, None) is None
    assert sent == [intake.reference for intake in seven_intakes]
    assert {(r.user, r.ip_address) for r in exported} == {(exporter, "127.0.0.1")}


def test_each_batch_costs_the_same_few_queries_however_many_batches(
    staff_client: Callable[[str], Client],
    exporter: User,
    make_intake: Callable[..., Intake],
    monkeypatch: pytest.MonkeyPatch,
    django_assert_num_queries: Any,
) -> None:
    """Two batches, then six: nothing is read per intake (flags, consent document, re-screening).
    A batch: its intakes, their flags, and its access records (one INSERT, in a savepoint);
    after the last full batch, one read that finds no more."""
    monkeypatch.setattr(export, "BATCH_SIZE", 2)
    client = staff_client("doctor")
    for batches, made in ((2, 4), (6, 8)):
        for _ in range(made):
            assert make_intake(keloid_history=True).flags.exists()
        sending = export_all(client)
        with django_assert_num_queries(batches * 5 + 1):
            parts = list(sending)
        assert len(parts) == 1 + batches


def test_the_worker_reports_itself_alive_after_each_part(
    staff_client: Callable[[str], Client],
    exporter: User,
    seven_intakes: list[Intake],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export, "BATCH_SIZE", 3)
    beats: list[int] = []
    heartbeat.install(lambda: beats.append(AccessRecord.objects.count()))
    try:
        parts = list(export_all(staff_client("doctor")))
    finally:
        heartbeat.install(None)

    assert len(parts) == 4
    assert beats == [0, 3, 6, 7]


def test_the_intake_list_says_that_a_large_export_streams_to_whoever_may_export(
    staff_client: Callable[[str], Client], exporter: User, receptionist: User
) -> None:
    url = reverse("admin:intake_intake_changelist")
    with translation.override("ja"):
        japanese = staff_client("doctor").get(reverse("admin:intake_intake_changelist"))

    assert "the browser shows its progress" in staff_client("doctor").get(url).content.decode()
    assert "ブラウザのダウンロード表示" in japanese.content.decode()
    assert "export-note" not in staff_client("receptionist").get(url).content.decode()


# Under gunicorn ---------------------------------------------------------------------------------
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (DATABASE_URL): the server process can't reach pytest's "
    "in-memory SQLite database",
)
TIMEOUT = 2  # seconds gunicorn gives a worker that does not report itself alive


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_export_longer_than_gunicorns_timeout_completes(
    make_intake: Callable[..., Intake],
) -> None:
    """Forty intakes at a tenth of a second each (tests/slow_export_wsgi.py): twice the timeout,
    which would kill the worker mid-file if it reported only between requests."""
    exporter = User.objects.create_user("dr_export", is_staff=True)
    exporter.groups.add(Group.objects.get(name="Doctors"))
    exporter.user_permissions.add(Permission.objects.get(codename="export_intake"))
    made = [make_intake() for _ in range(40)]
    expected = sorted(intake.reference for intake in made)
    browser = Client()
    browser.force_login(exporter)
    cookies = {"sessionid": browser.cookies["sessionid"].value, "csrftoken": new_csrf_secret()}
    environment = server_env(database_url(connection.settings_dict))
    args = ("--timeout", str(TIMEOUT), "--graceful-timeout", str(TIMEOUT))

    with gunicorn(environment, workers=1, args=args, app="tests.slow_export_wsgi") as (_, port):
        client = HttpClient(HOST, port, timeout=60, cookies=cookies)
        started = time.monotonic()
        response = client.post(
            reverse("admin:intake_intake_changelist"),
            {"action": ["export_csv_en"], "_selected_action": [made[0].pk], "select_across": ["1"]}
            | {"index": ["0"]},
        )
        took = time.monotonic() - started

    assert response.status == 200, response.body[:500]
    assert took > 2 * TIMEOUT  # it did outlast the timeout
    rows = list(csv.DictReader(io.StringIO(response.body.removeprefix("\ufeff"))))
    assert sorted(row["reference"] for row in rows) == expected
    exported = AccessRecord.objects.filter(action=AccessRecord.Action.EXPORT)
    assert sorted(exported.values_list("intake__reference", flat=True)) == expected

"""The scale benchmark's data: intakes with their flags, decisions, access records, patient records
and links, written with PostgreSQL's COPY (psycopg 3) into tables the real migrations made.

Every intake's answers come from bench/screening_throughput.py's generator (the same variety the
screening benchmark measures), moved to the day of submission, with a name, kana, phone and
e-mail of their own; they are screened by the real rules, as the submit screens them, on that day
and with the appointment date, so the verdict, rank, suitability and flags stored (and their
`current_*` copies) are what `rescreen` would find again. Submissions spread over ten years, in id
order; a quarter of intakes are of a person seen before (40 % of persons have a patient record,
every one of their intakes linked to it). Rows are generated batch by batch: memory stays flat.

    load(connection, count=..., start=...)   connection: Django's (PostgreSQL)
"""

from __future__ import annotations

import array
import datetime
import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bench.scale_people import Person, has_record, person, reference
from bench.screening_throughput import TODAY as ANSWERS_TODAY
from bench.screening_throughput import answers as generated_answers

SEED = 20261218
BATCH = 5_000
YEARS = 10
REPEAT_SHARE = 0.25  # intakes of a person seen before
DOCTORS = 5
RECEPTIONISTS = 3

DATE_KEYS = (
    "date_of_birth", "visit_date", "topical_retinoid_started", "isotretinoin_last_dose",
    "botulinum_last_date", "last_resurfacing_date", "upcoming_event_date",
)  # fmt: skip
ACCESS_ACTIONS = (("detail", 70), ("print", 10), ("admin", 8), ("patient", 6), ("chart", 6))


@dataclass
class Tables:
    """One batch's rows, per table, as dicts of attribute names."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(model, []).append(row)


@dataclass
class Context:
    today: datetime.date
    total: int  # the size being loaded: dates spread over it
    consent_id: int
    doctors: list[tuple[int, str]]
    receptionists: list[tuple[int, str]]
    ids: dict[str, int]  # the next id per table
    start: int  # the first intake index of this load
    persons: array.array  # person index of each intake index from `start`
    birthdays: array.array  # the date of birth (ordinal) of each intake from `start`
    texts: dict[Any, dict[str, str]] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]


def _answers(rng: random.Random, day: datetime.date, who: Person) -> dict[str, Any]:
    from intake import answers

    given = generated_answers(rng)
    shift = day - ANSWERS_TODAY
    for key in DATE_KEYS:
        if given.get(key) is not None:
            given[key] += shift
    values = {key: given.get(key) for key in answers.QUESTIONS}
    for key, question in answers.QUESTIONS.items():
        if values[key] is None and question.kind == "multi":
            values[key] = []
        elif values[key] is None and question.kind in ("text", "code", "phone", "email"):
            values[key] = ""
    values.update(
        full_name=who.full_name,
        full_name_kana=who.full_name_kana,
        phone=who.phone,
        email=who.email,
    )
    if who.date_of_birth is not None:
        values["date_of_birth"] = who.date_of_birth
    return values


def _flag_texts(context: Context, flag: Any) -> dict[str, str]:
    from intake import selectors

    if flag not in context.texts:
        context.texts[flag] = selectors.flag_texts([flag])[0]
    return context.texts[flag]


def _intake(index: int, rng: random.Random, context: Context, tables: Tables) -> None:
    from django.utils import timezone

    from intake import screening

    # Submissions in id order over YEARS, the last one today (a top-up starts again at the oldest).
    span = YEARS * 365
    position = index % context.total
    day = context.today - datetime.timedelta(days=span - (position * span) // context.total)
    tz = timezone.get_current_timezone()
    submitted = datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 22), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=tz
    )
    # A person seen before in this load (a top-up's persons are new: earlier ones may be purged).
    repeat = index > context.start and rng.random() < REPEAT_SHARE
    earlier = (
        rng.randint(max(context.start, index - 20_000), index - 1) - context.start if repeat else 0
    )
    person_index = context.persons[earlier] if repeat else index
    context.persons.append(person_index)
    who = person(person_index)
    if repeat:
        who.date_of_birth = datetime.date.fromordinal(context.birthdays[earlier])
    values = _answers(rng, day, who)
    context.birthdays.append(values["date_of_birth"].toordinal())
    appointment = None
    if rng.random() < 0.1:
        appointment = values["visit_date"] or day + datetime.timedelta(days=rng.randint(1, 30))
    result = screening.screen(values, today=day, appointment_date=appointment)
    rank = screening.verdict_rank(result.verdict)
    age = (context.today - day).days
    decided = rng.random() < (0.965 if age > 60 else 0.3)
    status = "decided" if decided else rng.choice(("new", "in_review"))

    patient_id = None
    if has_record(person_index):
        patient_id = person_index + 1
        if not repeat:
            tables.add(
                "patient",
                {
                    "id": patient_id,
                    "full_name": who.full_name,
                    "full_name_kana": who.full_name_kana,
                    "date_of_birth": values["date_of_birth"],
                    "phone": who.phone,
                    "email": who.email,
                    "created_by_id": context.receptionists[0][0],
                    "created_at": submitted + datetime.timedelta(days=1),
                },
            )
    intake_id = context.next_id("intake")
    tables.add(
        "intake",
        {
            **values,
            "id": intake_id,
            "reference": reference(index),
            "submission_token": uuid.UUID(int=rng.getrandbits(128), version=4),
            "language": "ja" if rng.random() < 0.9 else "en",
            "submitted_at": submitted,
            "status": status,
            "invitation_id": None,
            "consent_document_id": context.consent_id,
            "consent_at": submitted,
            "patient_id": patient_id,
            "appointment_date": appointment,
            "ruleset_version": result.ruleset,
            "reference_date": result.reference_date,
            "verdict": result.verdict,
            "verdict_rank": rank,
            "suitability": result.suitability,
            "current_rescreening_id": None,
            "current_verdict": result.verdict,
            "current_verdict_rank": rank,
            "current_suitability": result.suitability,
        },
    )
    for position, flag in enumerate(result.flags):
        tables.add(
            "intakeflag",
            {
                "id": context.next_id("intakeflag"),
                "intake_id": intake_id,
                "position": position,
                "code": flag.code,
                "severity": flag.severity,
                "source": flag.source,
                "keys": list(flag.keys),
                **_flag_texts(context, flag),
            },
        )
    later = submitted
    if decided:
        later = _decisions(intake_id, result, submitted, rng, context, tables)
    if patient_id is not None:
        tables.add(
            "patientlink",
            {
                "id": context.next_id("patientlink"),
                "intake_id": intake_id,
                "patient_id": patient_id,
                "action": "linked",
                "source": "staff",
                "by_id": context.receptionists[index % len(context.receptionists)][0],
                "at": submitted + datetime.timedelta(hours=20),
                "note": "",
            },
        )
    _access(intake_id, patient_id, later, rng, context, tables)


def _decisions(
    intake_id: int,
    result: Any,
    submitted: datetime.datetime,
    rng: random.Random,
    context: Context,
    tables: Tables,
) -> datetime.datetime:
    from intake import screening

    acknowledged = [
        flag.code for flag in result.flags if flag.severity in screening.ACKNOWLEDGED_SEVERITIES
    ]
    if result.verdict == "not_suitable":
        outcomes, weights = ("declined", "deferred", "approved_with_conditions"), (80, 15, 5)
    else:
        outcomes = ("approved", "approved_with_conditions", "deferred", "declined")
        weights = (60, 30, 7, 3)
    decided_at = submitted + datetime.timedelta(minutes=rng.randint(30, 60 * 72))
    supersedes = None
    for _ in range(2 if rng.random() < 0.03 else 1):
        outcome = rng.choices(outcomes, weights=weights)[0]
        decision_id = context.next_id("decision")
        tables.add(
            "decision",
            {
                "id": decision_id,
                "intake_id": intake_id,
                "doctor_id": rng.choice(context.doctors)[0],
                "outcome": outcome,
                "note": "" if outcome == "approved" else "説明済み。次回来院時に再確認。",
                "acknowledged_flags": acknowledged,
                "decided_at": decided_at,
                "supersedes_id": supersedes,
            },
        )
        supersedes = decision_id
        decided_at += datetime.timedelta(hours=rng.randint(1, 48))
    return decided_at


def _access(
    intake_id: int,
    patient_id: int | None,
    after: datetime.datetime,
    rng: random.Random,
    context: Context,
    tables: Tables,
) -> None:
    actions = [action for action, _weight in ACCESS_ACTIONS]
    weights = [weight for _action, weight in ACCESS_ACTIONS]
    # 0-3 reads, 1.3 on average.
    for _ in range(rng.choices((0, 1, 2, 3), weights=(10, 55, 30, 5))[0]):
        action = rng.choices(actions, weights=weights)[0]
        user_id, username = rng.choice(
            context.receptionists if action == "patient" else context.doctors
        )
        after += datetime.timedelta(minutes=rng.randint(1, 600))
        tables.add(
            "accessrecord",
            {
                "id": context.next_id("accessrecord"),
                "intake_id": intake_id,
                "patient_id": patient_id if action == "patient" else None,
                "user_id": user_id,
                "username": username,
                "action": action,
                "at": after,
                "ip_address": f"10.0.{rng.randint(0, 3)}.{rng.randint(2, 250)}",
            },
        )


MODELS = ("patient", "intake", "intakeflag", "decision", "patientlink", "accessrecord")


def _copy(connection: Any, model_name: str, rows: list[dict[str, Any]]) -> None:
    from django.apps import apps
    from django.db import models

    model = apps.get_model("intake", model_name)
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for f in fields:
                value = row[f.attname] if f.attname in row else f.get_default()
                if f.attname in json_fields:
                    value = json.dumps(value, ensure_ascii=False)
                values.append(value)
            copy.write_row(values)


def users() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The staff the rows name, doctors and receptionists, and an administrator (created once)."""
    from django.contrib.auth.models import Group, User

    User.objects.get_or_create(
        username="bench_admin", defaults={"is_staff": True, "is_superuser": True}
    )
    people: dict[str, list[tuple[int, str]]] = {"Doctors": [], "Reception": []}
    for group_name, prefix, count in (
        ("Doctors", "bench_doctor", DOCTORS),
        ("Reception", "bench_reception", RECEPTIONISTS),
    ):
        group = Group.objects.get(name=group_name)
        for number in range(1, count + 1):
            user, _ = User.objects.get_or_create(username=f"{prefix}_{number}")
            user.groups.add(group)
            people[group_name].append((user.pk, user.username))
    return people["Doctors"], people["Reception"]


def batches(start: int, count: int, context: Context) -> Iterator[Tables]:
    rng = random.Random(SEED + start)
    index, end = start, start + count
    while index < end:
        tables = Tables()
        for one in range(index, min(index + BATCH, end)):
            _intake(one, rng, context, tables)
        index = min(index + BATCH, end)
        yield tables


def load(connection: Any, *, count: int, start: int = 0, total: int | None = None) -> None:
    """Intakes number `start` to `start + count`, dated as in a database of `total` intakes
    (default: `count`); a later load (a top-up after a purge) passes the next unused `start`."""
    from django.db import transaction
    from django.utils import timezone

    from intake import selectors

    doctors, receptionists = users()
    ids = {}
    with connection.cursor() as cursor:
        for model in MODELS:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM intake_{model}")
            ids[model] = cursor.fetchone()[0]
    context = Context(
        today=timezone.localdate(),
        total=total or count,
        consent_id=selectors.current_consent_document().pk,
        doctors=doctors,
        receptionists=receptionists,
        ids=ids,
        start=start,
        persons=array.array("q"),
        birthdays=array.array("q"),
    )
    for tables in batches(start, count, context):
        with transaction.atomic(using=connection.alias):
            for model in MODELS:
                if tables.rows.get(model):
                    _copy(connection, model, tables.rows[model])
    finish(connection)


def finish(connection: Any) -> None:
    """Sequences past the ids written; then the tables as autovacuum keeps them on a live
    database: planner statistics, and the visibility map that lets a count read an index alone
    (rows just copied in are not yet marked all-visible: the open queue's counts read 46,000
    heap rows at 1,000,000 intakes, 0.17 s instead of 0.007 s)."""
    with connection.cursor() as cursor:
        for model in MODELS:
            table = f"intake_{model}"
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce(max(id), 0) + 1, false) FROM {table}"
            )
        if connection.in_atomic_block:
            cursor.execute("ANALYZE")
        else:  # VACUUM runs outside a transaction only
            cursor.execute("VACUUM (ANALYZE)")

"""Reads of the FHIR exports: intakes with everything their Bundle holds, and when each last
changed, for the download and the API. A fixed number of queries per page, whatever its size.

When an intake last changed (`changed_at`, the Bundle's meta.lastUpdated): the latest of its
submission, its decisions, its re-screenings (a new result, a new appointment date), its links to
a patient record and the treatments recorded at its visit: everything the Bundle shows has its
time there, and none of those rows is ever changed once written.
"""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from intake.models import Decision, Intake, IntakeFlag, PatientLink, Rescreening, Treatment
from intake.patients.selectors import current_treatments


def _last(model: type, field: str) -> Coalesce:
    latest = model.objects.filter(intake=OuterRef("pk")).order_by(f"-{field}").values(field)[:1]
    return Coalesce(Subquery(latest), F("submitted_at"))


def changed_at() -> Greatest:
    return Greatest(
        F("submitted_at"),
        _last(Decision, "decided_at"),
        _last(Rescreening, "created_at"),
        _last(PatientLink, "at"),
        _last(Treatment, "recorded_at"),
        output_field=Intake._meta.get_field("submitted_at"),
    )


def intakes_for_fhir() -> QuerySet[Intake]:
    """Intakes with their `changed_at`, patient, current result, flags, decisions and the
    current treatment records of their visit (`visit_treatments`)."""
    return (
        Intake.objects.annotate(changed_at=changed_at())
        .select_related("patient", "current_rescreening")
        .prefetch_related(
            Prefetch("flags", queryset=IntakeFlag.objects.order_by("position")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("doctor").order_by("-decided_at", "-id"),
            ),
            Prefetch(
                "treatments",
                queryset=current_treatments(Treatment.objects.all())
                .select_related("doctor")
                .order_by("treated_on", "recorded_at", "id"),
                to_attr="visit_treatments",
            ),
        )
    )


def intake_for_fhir(*, reference: str) -> Intake | None:
    return intakes_for_fhir().filter(reference=reference).first()


def intakes_changed(
    *,
    since: datetime.datetime | None,
    after: tuple[datetime.datetime, int] | None,
    count: int,
) -> list[Intake]:
    """Up to `count` intakes changed at or after `since`, oldest change first; `after` is where
    the previous page ended (its last intake's change and id)."""
    intakes = intakes_for_fhir()
    if since is not None:
        intakes = intakes.filter(changed_at__gte=since)
    if after is not None:
        moment, pk = after
        intakes = intakes.filter(Q(changed_at__gt=moment) | Q(changed_at=moment, pk__gt=pk))
    return list(intakes.order_by("changed_at", "pk")[:count])

"""One intake as a FHIR Bundle (type collection), what an electronic chart imports:

- `Patient`: the clinic's patient record when the intake is linked to one (its id in
  identifier, tagged `clinic-record`); otherwise the person as the intake's answers give them,
  without identifier, tagged `self-reported`, since every resource below needs a subject.
- `QuestionnaireResponse`: every answer (`questionnaire.py`).
- `RiskAssessment`: the screening's current result. method = the rule set and its version
  (…/CodeSystem/ruleset); one prediction per flag, strongest first: outcome = the rule's code
  (…/CodeSystem/screening-rule) with its title, qualitativeRisk = the severity, rationale = the
  clinician's note; the verdict, the suitability and the reference date in extensions of the
  app's own; status `amended` when a re-screening changed the result since submission.
- `Observation` "treatment decision", for the latest decision: its outcome as a coded value
  (…/CodeSystem/decision-outcome), the doctor as performer, the note, the flags it
  acknowledged (an extension each), derivedFrom the response and the assessment. An
  Observation rather than a ClinicalImpression: R4's ClinicalImpression has no element for a
  coded outcome, while an Observation's value is one, which a chart can file and query.
- `MedicationAdministration` for each treatment recorded at this visit (current records only):
  the product and lot in a contained Medication, units as a UCUM dose, dilution and areas in
  the dosage's text.

Entries have stable `urn:uuid:` fullUrls; the Bundle's id is the intake's reference and its
meta.lastUpdated the last time anything in it changed (`selectors.intakes_for_fhir`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from intake import answers
from intake.bilingual import LIST_SEPARATOR, Text
from intake.fhir import common
from intake.fhir.common import both, coding, concept, entry_id, instant, reference, text
from intake.fhir.questionnaire import questionnaire_response
from intake.models import Decision, Intake, IntakeFlag, Treatment

GENDERS = {"female": "female", "male": "male", "other": "other", "undisclosed": "unknown"}
KANA_NAME = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation"
SOURCES = {
    "clinic-record": Text("当院の患者記録", "The clinic's patient record"),
    "self-reported": Text(
        "問診の回答のみ（患者記録に未リンク）", "The intake's answers only (not linked to a record)"
    ),
}
ASSESSMENT = Text("マイクロボトックス施術前スクリーニング", "Micro-Botox pre-treatment screening")
DECISION = Text("施術の判断", "Treatment decision")


def _name(full: str, *, kana: bool = False) -> dict[str, Any]:
    name: dict[str, Any] = {"use": "official", "text": full}
    family, _space, given = full.partition(" ")
    if given.strip():
        name |= {"family": family, "given": given.split()}
    if kana:
        name["extension"] = [{"url": KANA_NAME, "valueCode": "SYL"}]
    return name


def patient(intake: Intake, *, base: str) -> dict[str, Any]:
    record = intake.patient
    person = record if record is not None else intake
    source = "clinic-record" if record is not None else "self-reported"
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "meta": {"tag": [coding(base, common.PATIENT_SOURCE, source, SOURCES[source])]},
    }
    if record is not None:
        resource["identifier"] = [{"system": f"{base}/patient", "value": str(record.pk)}]
    names = [_name(person.full_name)]
    if person.full_name_kana:
        names.append(_name(person.full_name_kana, kana=True))
    telecom = [{"system": "phone", "value": person.phone}] if person.phone else []
    if person.email:
        telecom.append({"system": "email", "value": person.email})
    resource |= {
        "name": names,
        "gender": GENDERS.get(intake.sex, "unknown"),
        "birthDate": person.date_of_birth.isoformat(),
    }
    if telecom:
        resource["telecom"] = telecom
    return resource


def _prediction(flag: IntakeFlag, base: str) -> dict[str, Any]:
    title = Text(flag.title_ja, flag.title_en)
    note = Text(flag.clinician_note_ja, flag.clinician_note_en)
    severity = answers.SEVERITY_LABELS[flag.severity]
    prediction = {
        "outcome": concept(base, common.RULE, flag.code, title),
        "qualitativeRisk": concept(base, common.SEVERITY, flag.severity, severity),
    }
    if note.ja:
        prediction |= text("rationale", note)
    return prediction


def risk_assessment(intake: Intake, *, base: str, subject: str, basis: str) -> dict[str, Any]:
    rescreening = intake.current_rescreening
    ruleset = rescreening.ruleset_version if rescreening else intake.ruleset_version
    screened = rescreening.created_at if rescreening else intake.submitted_at
    verdict = intake.current_verdict
    suitability = intake.current_suitability
    rules = Text(f"スクリーニング規則 {ruleset}", f"Screening rules {ruleset}")
    return {
        "resourceType": "RiskAssessment",
        "extension": [
            {
                "url": common.extension_url(base, "screening-verdict"),
                "valueCoding": coding(
                    base, common.VERDICT, verdict, answers.VERDICT_LABELS[verdict]
                ),
            },
            {
                "url": common.extension_url(base, "screening-suitability"),
                "valueCoding": coding(
                    base, common.SUITABILITY, suitability, answers.SUITABILITY_LABELS[suitability]
                ),
            },
            {
                "url": common.extension_url(base, "screening-reference-date"),
                "valueDate": intake.current_reference_date.isoformat(),
            },
        ],
        "status": "amended" if rescreening else "final",
        "method": concept(base, common.RULESET, ruleset, rules),
        "code": concept(base, common.ASSESSMENT, "micro-botox-screening", ASSESSMENT),
        "subject": reference(subject),
        "occurrenceDateTime": instant(screened),
        "basis": [reference(basis)],
        "prediction": [_prediction(flag, base) for flag in intake.current_flags()],
    }


def _doctor(user: Any) -> dict[str, str]:
    return {"display": user.get_full_name() or user.get_username()}


def decision_observation(
    decision: Decision,
    *,
    base: str,
    subject: str,
    derived_from: list[str],
    titles: dict[str, Text],
) -> dict[str, Any]:
    """`titles`: the flags' titles by code, for the flags the decision acknowledged."""
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "amended" if decision.supersedes_id else "final",
        "code": concept(base, common.OBSERVATION, "treatment-decision", DECISION),
        "subject": reference(subject),
        "effectiveDateTime": instant(decision.decided_at),
        "issued": instant(decision.decided_at),
        "performer": [_doctor(decision.doctor)],
        "valueCodeableConcept": concept(
            base, common.OUTCOME, decision.outcome, both(Decision.Outcome(decision.outcome).label)
        ),
        "derivedFrom": [reference(url) for url in derived_from],
    }
    if decision.acknowledged_flags:
        observation["extension"] = [
            {
                "url": common.extension_url(base, "acknowledged-flag"),
                "valueCoding": coding(base, common.RULE, code, titles.get(code)),
            }
            for code in decision.acknowledged_flags
        ]
    if decision.note:
        observation["note"] = [{"text": decision.note}]
    return observation


def _number(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)


def medication_administration(
    treatment: Treatment, *, base: str, subject: str, supporting: str
) -> dict[str, Any]:
    product = answers.QUESTIONS["botulinum_product"]
    label = next((c.label for c in product.choices if c.code == treatment.product), None)
    medication: dict[str, Any] = {
        "resourceType": "Medication",
        "id": "product",
        "code": concept(base, "botulinum_product", treatment.product, label),
    }
    if treatment.lot_number:
        medication["batch"] = {"lotNumber": treatment.lot_number}
    areas = [answers.TREATMENT_AREA_LABELS.get(code, Text(code, code)) for code in treatment.areas]
    area_text = Text(
        LIST_SEPARATOR.ja.join(area.ja for area in areas),
        LIST_SEPARATOR.en.join(area.en for area in areas),
    )
    dilution = f"{_number(treatment.dilution_ml_per_100u)}"
    dosage_text = Text(
        f"希釈 {dilution} mL/100単位、部位：{area_text.ja}",
        f"Dilution {dilution} mL per 100 U; areas: {area_text.en}",
    )
    administration: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "contained": [medication],
        "status": "completed",
        "medicationReference": {"reference": "#product"},
        "subject": reference(subject),
        "supportingInformation": [reference(supporting)],
        "effectiveDateTime": treatment.treated_on.isoformat(),
        "performer": [{"actor": _doctor(treatment.doctor)}],
        "dosage": {
            **text("text", dosage_text),
            "site": text("text", area_text),
            "dose": {
                "value": _number(treatment.total_units),
                "unit": "U",
                "system": common.UCUM,
                "code": "[U]",
            },
        },
    }
    if treatment.note:
        administration["note"] = [{"text": treatment.note}]
    return administration


def intake_bundle(intake: Intake, *, base: str) -> dict[str, Any]:
    """The Bundle of `intake` as `selectors.intakes_for_fhir` loads it."""
    key = intake.reference
    patient_url = entry_id(key, "Patient", intake.patient_id or "answers")
    response_url = entry_id(key, "QuestionnaireResponse")
    assessment_url = entry_id(key, "RiskAssessment", intake.current_rescreening_id or 0)
    entries = [
        (patient_url, patient(intake, base=base)),
        (response_url, questionnaire_response(intake, base=base, subject=patient_url)),
        (
            assessment_url,
            risk_assessment(intake, base=base, subject=patient_url, basis=response_url),
        ),
    ]
    decisions = list(intake.decisions.all())
    titles = {
        flag.code: Text(flag.title_ja, flag.title_en)
        for flag in [*intake.flags.all(), *intake.current_flags()]
    }
    if decisions:
        latest = max(decisions, key=lambda decision: (decision.decided_at, decision.pk))
        entries.append(
            (
                entry_id(key, "Observation", latest.pk),
                decision_observation(
                    latest,
                    base=base,
                    subject=patient_url,
                    derived_from=[response_url, assessment_url],
                    titles=titles,
                ),
            )
        )
    for treatment in getattr(intake, "visit_treatments", []):
        entries.append(
            (
                entry_id(key, "MedicationAdministration", treatment.pk),
                medication_administration(
                    treatment, base=base, subject=patient_url, supporting=response_url
                ),
            )
        )
    return {
        "resourceType": "Bundle",
        "id": key,
        "meta": {"lastUpdated": instant(getattr(intake, "changed_at", intake.submitted_at))},
        "identifier": {"system": f"{base}/intake", "value": key},
        "type": "collection",
        "timestamp": instant(timezone.now()),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }

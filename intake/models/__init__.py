"""The clinic's record, one module per part: `intakes` (the intake, its flags, re-screenings and
decisions), `patients` (the patient across visits, treatments, links), `invitations` (and their
e-mails), `content` (what staff edit), `audit` (the access record), `throttle` (the submission
limit's counters), `api` (the FHIR API's tokens) and `choices` (the data dictionary's codes as
field choices). Everything is importable from `intake.models`."""

from intake.models.api import ApiToken
from intake.models.audit import AccessRecord
from intake.models.choices import AnswerChoices, LabelChoices
from intake.models.content import ClinicProfile, ConsentDocument, FlagText
from intake.models.intakes import Decision, Intake, IntakeFlag, Rescreening
from intake.models.invitations import EmailDelivery, Invitation
from intake.models.patients import Patient, PatientLink, Treatment
from intake.models.resume import ResumeLink
from intake.models.throttle import SubmissionCount

__all__ = [
    "AccessRecord",
    "AnswerChoices",
    "ApiToken",
    "ClinicProfile",
    "ConsentDocument",
    "Decision",
    "EmailDelivery",
    "FlagText",
    "Intake",
    "IntakeFlag",
    "Invitation",
    "LabelChoices",
    "Patient",
    "PatientLink",
    "Rescreening",
    "ResumeLink",
    "SubmissionCount",
    "Treatment",
]

"""The admin as a whole (intake/admin/__init__.py): every page for every role, the index."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

ROLES = ("doctor", "receptionist", "staff_without_group", "superuser")
OK, DENIED = 200, 403
# The page is refused with a message on the page it sends back to.
REFUSED = 302
# (app, model, page, object key) -> status for doctor, receptionist, staff without group, superuser
PAGES: dict[tuple[str, str, str, str | None], tuple[int, int, int, int]] = {
    ("intake", "intake", "changelist", None): (OK, OK, DENIED, OK),
    ("intake", "intake", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "intake", "change", "intake"): (OK, OK, DENIED, OK),
    ("intake", "intake", "delete", "intake"): (DENIED, DENIED, DENIED, OK),
    ("intake", "flagtext", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "flagtext", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "flagtext", "change", "flagtext"): (OK, DENIED, DENIED, OK),
    ("intake", "flagtext", "delete", "flagtext"): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "consentdocument", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "consentdocument", "add", None): (OK, DENIED, DENIED, OK),
    ("intake", "consentdocument", "change", "consentdocument"): (OK, DENIED, DENIED, OK),
    ("intake", "consentdocument", "delete", "consentdocument"): (
        DENIED,
        DENIED,
        DENIED,
        DENIED,
    ),
    ("intake", "consentdocument", "change", "consent_draft"): (OK, DENIED, DENIED, OK),
    ("intake", "consentdocument", "delete", "consent_draft"): (OK, DENIED, DENIED, OK),
    ("intake", "clinicprofile", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "clinicprofile", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "clinicprofile", "change", "clinicprofile"): (OK, DENIED, DENIED, OK),
    ("intake", "clinicprofile", "delete", "clinicprofile"): (DENIED, DENIED, DENIED, OK),
    ("intake", "invitation", "changelist", None): (OK, OK, DENIED, OK),
    ("intake", "invitation", "add", None): (DENIED, OK, DENIED, OK),
    ("intake", "invitation", "change", "invitation"): (OK, OK, DENIED, OK),
    ("intake", "invitation", "delete", "invitation"): (DENIED, OK, DENIED, OK),
    ("intake", "invitation", "change", "used_invitation"): (OK, OK, DENIED, OK),
    ("intake", "invitation", "delete", "used_invitation"): (DENIED, DENIED, DENIED, OK),
    ("intake", "accessrecord", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "accessrecord", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "accessrecord", "change", "accessrecord"): (OK, DENIED, DENIED, OK),
    ("intake", "accessrecord", "delete", "accessrecord"): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "decision", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "decision", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "decision", "change", "decision"): (OK, DENIED, DENIED, OK),
    ("intake", "decision", "delete", "decision"): (DENIED, DENIED, DENIED, DENIED),
    # Patient records: read only for everyone; treatments and links for doctors only.
    ("intake", "patient", "changelist", None): (OK, OK, DENIED, OK),
    ("intake", "patient", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "patient", "change", "patient"): (OK, OK, DENIED, OK),
    ("intake", "patient", "delete", "patient"): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "treatment", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "treatment", "add", None): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "treatment", "change", "treatment"): (OK, DENIED, DENIED, OK),
    ("intake", "treatment", "delete", "treatment"): (DENIED, DENIED, DENIED, DENIED),
    ("intake", "patientlink", "changelist", None): (OK, DENIED, DENIED, OK),
    ("intake", "patientlink", "change", "patientlink"): (OK, DENIED, DENIED, OK),
    ("intake", "patientlink", "delete", "patientlink"): (DENIED, DENIED, DENIED, DENIED),
    ("auth", "user", "changelist", None): (DENIED, DENIED, DENIED, OK),
    ("auth", "user", "add", None): (DENIED, DENIED, DENIED, OK),
    ("auth", "user", "change", "user"): (DENIED, DENIED, DENIED, OK),
    # A doctor who has read intakes and decided is deactivated, never deleted.
    ("auth", "user", "delete", "user"): (DENIED, DENIED, DENIED, REFUSED),
    ("auth", "user", "delete", "user_without_history"): (DENIED, DENIED, DENIED, OK),
    ("auth", "group", "changelist", None): (DENIED, DENIED, DENIED, OK),
    ("auth", "group", "add", None): (DENIED, DENIED, DENIED, OK),
    ("auth", "group", "change", "group"): (DENIED, DENIED, DENIED, OK),
    ("auth", "group", "delete", "group"): (DENIED, DENIED, DENIED, OK),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_answers_each_role_as_its_permissions_say(
    role: str, staff_client: Callable[[str], Client], objects: dict[str, Any]
) -> None:
    client = staff_client(role)
    expected_by_page = {page: statuses[ROLES.index(role)] for page, statuses in PAGES.items()}

    got = {}
    for app, model, page, key in PAGES:
        args = [objects[key].pk] if key else []
        got[(app, model, page, key)] = client.get(
            reverse(f"admin:{app}_{model}_{page}", args=args)
        ).status_code

    assert got == expected_by_page


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_index_opens_for_every_staff_role(
    role: str, staff_client: Callable[[str], Client]
) -> None:
    assert staff_client(role).get(reverse("admin:index")).status_code == 200


def test_a_user_without_staff_status_is_sent_to_the_admin_login(doctor_client: Client) -> None:
    response = doctor_client.get(reverse("admin:intake_intake_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_reception_is_offered_intakes_invitations_and_patients_only(
    staff_client: Callable[[str], Client],
) -> None:
    page = staff_client("receptionist").get(reverse("admin:index")).content.decode()

    assert reverse("admin:intake_intake_changelist") in page
    assert reverse("admin:intake_invitation_changelist") in page
    assert reverse("admin:intake_patient_changelist") in page
    for model in (
        "flagtext",
        "consentdocument",
        "clinicprofile",
        "accessrecord",
        "decision",
        "treatment",
        "patientlink",
    ):
        assert reverse(f"admin:intake_{model}_changelist") not in page
    assert reverse("admin:auth_user_changelist") not in page

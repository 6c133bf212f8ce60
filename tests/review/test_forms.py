"""intake.review.forms: the doctor's decision form."""

from __future__ import annotations

from intake.models import Intake
from intake.review.forms import DecisionForm
from tests.review.helpers import TO_ACKNOWLEDGE, form_data


def test_the_decision_form_names_every_missing_flag_in_one_message(intake: Intake) -> None:
    flags = [flag for flag in intake.flags.all() if flag.code in TO_ACKNOWLEDGE]
    form = DecisionForm(form_data(acknowledge=[]), flags=flags)
    assert not form.is_valid()
    (message,) = form.non_field_errors()
    assert "PREGNANCY_BREASTFEEDING" in message
    assert "KELOID" in message

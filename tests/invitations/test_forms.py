"""intake.invitations.forms: the invitation form accepts only what the intake itself accepts."""

from __future__ import annotations

import datetime

import pytest

from intake.invitations.forms import InvitationForm


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("visit_date", "yesterday", "past"),
        ("visit_date", "in_two_years", "too_far"),
        ("full_name_kana", "Yamada", "katakana"),
        ("phone", "12345", "phone"),
    ],
)
def test_the_invitation_form_accepts_only_what_the_intake_itself_accepts(
    field: str, value: str, code: str, today: datetime.date
) -> None:
    data = {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "phone": "06-6375-0000",
        "visit_date": today + datetime.timedelta(days=1),
        "language": "ja",
    }
    dates = {
        "yesterday": today - datetime.timedelta(days=1),
        "in_two_years": today + datetime.timedelta(days=730),
    }
    data[field] = dates.get(value, value)

    form = InvitationForm(data, today=today)

    assert not form.is_valid()
    assert form.has_error(field, code)


def test_full_width_phone_digits_are_normalised_like_in_the_intake(today: datetime.date) -> None:
    form = InvitationForm(
        {
            "full_name": "山田　花子",
            "phone": "０６ー６３７５ー００００",
            "visit_date": today,
            "language": "ja",
        },
        today=today,
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "06-6375-0000"
    assert form.cleaned_data["full_name"] == "山田 花子"

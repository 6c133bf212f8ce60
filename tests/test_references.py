"""intake.references: reference codes from an unambiguous alphabet, normalised as typed."""

from __future__ import annotations

import pytest

from intake import references
from tests.helpers import REFERENCE_FORMAT


def test_a_reference_is_nine_characters_from_the_unambiguous_alphabet() -> None:
    drawn = [references.new_reference() for _ in range(2000)]
    for reference in drawn:
        assert len(reference) == 9
        assert REFERENCE_FORMAT.match(reference), reference
    assert len(set(drawn)) == len(drawn)
    assert not set("ILOU") & set("".join(drawn))


def test_the_reference_alphabet_has_no_letters_people_confuse() -> None:
    assert len(references.REFERENCE_ALPHABET) == 32
    assert not set("ILOU") & set(references.REFERENCE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7K3M-9QXZ", "7K3M-9QXZ"),
        ("7k3m9qxz", "7K3M-9QXZ"),
        (" 7k3m 9qxz ", "7K3M-9QXZ"),
        ("7K3M - 9QXZ", "7K3M-9QXZ"),
        ("7K3MOQXZ", "7K3M-0QXZ"),  # the letter O read as zero
        ("IK3M-LQXZ", "1K3M-1QXZ"),  # I and L read as one
        ("7K3M-9QX", "7K3M9QX"),  # too short: left for the lookup to miss
    ],
)
def test_a_reference_as_typed_or_read_out_is_normalised(typed: str, stored: str) -> None:
    assert references.normalise_reference(typed) == stored


def test_every_new_reference_survives_normalisation_unchanged() -> None:
    for _ in range(200):
        reference = references.new_reference()
        assert references.normalise_reference(reference.lower().replace("-", " ")) == reference

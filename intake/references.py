"""An intake's reference code: what the patient quotes at reception and staff type to find it."""

from __future__ import annotations

import secrets

# Crockford's base32 without I, L, O, U: easy to read out at reception, 32^8 ≈ 10^12 codes.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8
# What people read or type for a letter the alphabet leaves out.
LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def normalise_reference(value: str) -> str:
    """What a person typed or read out, as stored: upper case, O→0, I/L→1, one hyphen."""
    code = value.strip().upper().replace("-", "").replace(" ", "").translate(LOOK_ALIKES)
    return f"{code[:4]}-{code[4:]}" if len(code) == REFERENCE_LENGTH else code

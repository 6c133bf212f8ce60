"""What people type, read the way the intake stores it: width, kana, phone numbers and dates.

Standard library only: the forms (the patient's and reception's), the queue's search and the
`screen` command read text through these, and wrap a failed check in a message of their own.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]
KATAKANA_NAME = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb ]+$")
HIRAGANA_TO_KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})
PHONE_CHARACTERS = re.compile(r"^[0-9+\-() ]+$")
PHONE_DIGITS = range(10, 16)
# Dashes people type in Japanese phone numbers, all read as "-".
DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ"})


def normalise_width(value: str) -> str:
    """Full-width digits and letters (全角) to their ordinary form, as NFKC does."""
    return unicodedata.normalize("NFKC", value)


def to_katakana(value: str) -> str:
    """Hiragana read as katakana; anything else is left as it is."""
    return value.translate(HIRAGANA_TO_KATAKANA)


def normalise_kana(value: str) -> str:
    """フリガナ as stored (spec §1): half-width katakana made full width (NFKC, which also joins
    ﾀﾞ into ダ) and hiragana made katakana, then single spaces. Whatever else was typed is kept,
    for `is_katakana_name` to refuse."""
    value = to_katakana(normalise_width(value))
    return " ".join(value.split())


def is_katakana_name(value: str) -> bool:
    """Katakana, the prolonged-sound mark, the middle dot and spaces only."""
    return bool(KATAKANA_NAME.match(value))


def normalise_phone(value: str) -> str:
    """A phone number typed in full or half width, with the dashes people use."""
    return normalise_width(value).translate(DASHES).strip()


def is_phone_number(value: str) -> bool:
    """10 to 15 digits, with only spaces and + - ( ) between them."""
    digits = sum(character.isdigit() for character in value)
    return bool(PHONE_CHARACTERS.match(value)) and digits in PHONE_DIGITS


def parse_date(value: str) -> datetime.date | None:
    """A date typed in one of DATE_INPUT_FORMATS, in either width; None when it is not one."""
    value = normalise_width(value).strip()
    for date_format in DATE_INPUT_FORMATS:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            continue
    return None

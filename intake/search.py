"""Searching for people: the one search of intakes (the queue, the admin) and of patient records
(their page, the admin), and the expressions their indexes are built on.

Every test is a `LIKE '%…%'` on an expression: the name and its kana, each as written and without
its spaces, the reference without its hyphen, the phone's digits. On PostgreSQL each expression
has a trigram index (migration 0016, `TRIGRAM_INDEXES`), so a search reads the index and not the
table; the expressions here and the indexes' must stay the same for PostgreSQL to use them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Replace

from intake.models import Intake
from intake.references import normalise_reference
from intake.text import parse_date, to_katakana

# A query that may be a phone number: four or more digits with the punctuation people type.
PHONE_QUERY = re.compile(r"^[0-9+\-() ]{4,}$")
# Part of a reference code typed at the desk (YE74): three or more of its letters and digits.
REFERENCE_PART = re.compile(r"[0-9A-Z]{3,8}")


def phone_digits(field: str = "phone") -> Any:
    """`field` with the punctuation of a phone number taken out, to match the digits typed."""
    expression: Any = F(field)
    for character in ("-", " ", "(", ")", "+"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def without_spaces(field: str) -> Any:
    """`field` without its spaces (half- and full-width): a name typed without the space."""
    return Replace(Replace(F(field), Value(" "), Value("")), Value("\u3000"), Value(""))


def normalised_query(query: str) -> str:
    """The query as the search reads it: full-width letters and digits made plain, trimmed."""
    return unicodedata.normalize("NFKC", query or "").strip()


def _every_word_in_name(query: str) -> Q:
    """Every word in the name or its kana (hiragana typed is read as katakana)."""
    match = Q()
    for word in query.split():
        match &= Q(full_name__icontains=word) | Q(full_name_kana__icontains=to_katakana(word))
    return match


def _phone(query: str) -> Q:
    if not PHONE_QUERY.match(query):
        return Q()  # leaves the other tests as they are
    return Q(phone_digits__contains=re.sub(r"\D", "", query))


def intakes_matching(intakes: QuerySet, query: str) -> QuerySet:
    """The intakes found by what staff typed: every word in the name or its kana; or the whole
    query run together, as staff type a name without its space (サトウミサキ); or a reference
    code, whole or in part (YE74), with or without its hyphen, read loosely (O for 0); or a phone
    number whatever its punctuation. All of them for an empty query."""
    query = normalised_query(query)
    if not query:
        return intakes
    compact = "".join(query.split())
    match = _every_word_in_name(query)
    match |= Q(name_compact__icontains=compact) | Q(kana_compact__icontains=to_katakana(compact))
    match |= _reference(query) | _phone(query)
    return intakes.alias(
        phone_digits=phone_digits(),
        name_compact=without_spaces("full_name"),
        kana_compact=without_spaces("full_name_kana"),
        reference_compact=_reference_compact(),
    ).filter(match)


def _reference_compact() -> Any:
    return Replace(F("reference"), Value("-"), Value(""))


def _reference(query: str) -> Q:
    """The reference code, whole and read loosely, or in part (YE74) with or without its hyphen."""
    match = Q(reference=normalise_reference(query))
    part = "".join(query.split()).replace("-", "").upper()
    if REFERENCE_PART.fullmatch(part):
        match |= Q(reference_compact__contains=part)
    return match


def intakes_with_reference(query: str) -> QuerySet[Intake]:
    """The intakes whose reference code is the query, whole or in part: for the lists of what
    belongs to an intake (decisions, access records), to filter on as a subquery."""
    query = normalised_query(query)
    found = Intake.objects.alias(reference_compact=_reference_compact())
    return found.filter(_reference(query)).values("pk")


def patients_matching(patients: QuerySet, query: str) -> QuerySet:
    """The patient records whose name or kana has every word (hiragana read as katakana), or
    whose phone or date of birth is the query. All of them for an empty query."""
    query = normalised_query(query)
    if not query:
        return patients
    match = _every_word_in_name(query)
    born = parse_date(query)
    if born is not None:
        match |= Q(date_of_birth=born)
    match |= _phone(query)
    return patients.alias(phone_digits=phone_digits()).filter(match)

"""Searching for people: the one search of intakes (the queue, the admin) and of patient records
(their page, the admin), and the expressions their indexes are built on.

Every test is a `LIKE '%…%'` on an expression: the name and its kana, each as written and without
its spaces, the reference without its hyphen, the phone's digits. On PostgreSQL each expression
has a trigram index (migration 0016, `TRIGRAM_INDEXES`), so a search reads the index and not the
table; the expressions here and the indexes' must stay the same for PostgreSQL to use them.

A word of one or two characters (佐藤) has no trigram: on PostgreSQL it is looked up first in the
name's and kana's bigram words (`BigramWords`, migration 0017), which have a trigram index, and the
test above then keeps the results exactly those of the plain search.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import connections
from django.db.models import F, Func, Q, QuerySet, TextField, Value
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


class BigramWords(Func):
    """The name without its spaces as words of each pair of adjacent characters, the last one
    alone: '佐藤 美咲' -> ' 佐藤 藤美 美咲 咲 '. PostgreSQL's function of migration 0017."""

    function = "intake_bigram_words"
    output_field = TextField()


# The expressions a short word is looked up in, by the field it stands for.
BIGRAM_ALIASES = {
    "full_name": "name_bigrams",
    "full_name_kana": "kana_bigrams",
}


def _with_bigrams(found: QuerySet) -> QuerySet:
    """`found` able to look up short words, on PostgreSQL (the only database with the function)."""
    if connections[found.db].vendor != "postgresql":
        return found
    return found.alias(**{alias: BigramWords(F(field)) for field, alias in BIGRAM_ALIASES.items()})


def _is_short(word: str, found: QuerySet) -> bool:
    return len(word) <= 2 and connections[found.db].vendor == "postgresql"


def _bigram_word(field: str, word: str) -> Q:
    """The short `word` (no spaces) in `field` written without its spaces: one of its bigram
    words for two characters, the start of one for a single character."""
    pattern = f" {word} " if len(word) == 2 else f" {word}"
    return Q(**{f"{BIGRAM_ALIASES[field]}__icontains": pattern})


def _word_in(field: str, word: str, found: QuerySet) -> Q:
    """`word` (no spaces) in `field`. A short word in the field is also in its bigram words, which
    PostgreSQL finds through their index. The field's own, cheaper test comes first: a list read
    in its order tests row after row, and most rows fail it without making their bigram words."""
    contains = Q(**{f"{field}__icontains": word})
    if not _is_short(word, found):
        return contains
    return contains & _bigram_word(field, word)


def _compact_in(field: str, compact: str, alias: str, found: QuerySet) -> Q:
    """`compact` (no spaces) in `field` without its spaces (`alias`): in its bigram words when
    it is short, the same test. Not beside the field's own test, as in `_word_in`: PostgreSQL
    would read that expression's trigram index too, all of it, as a short word has no trigram."""
    if _is_short(compact, found):
        return _bigram_word(field, compact)
    return Q(**{f"{alias}__icontains": compact})


def normalised_query(query: str) -> str:
    """The query as the search reads it: full-width letters and digits made plain, trimmed."""
    return unicodedata.normalize("NFKC", query or "").strip()


def _every_word_in_name(query: str, found: QuerySet) -> Q:
    """Every word in the name or its kana (hiragana typed is read as katakana)."""
    match = Q()
    for word in query.split():
        kana = to_katakana(word)
        match &= _word_in("full_name", word, found) | _word_in("full_name_kana", kana, found)
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
    words = query.split()
    compact = "".join(words)
    # One word in the name is in it without its spaces: the test of the name run together.
    match = _every_word_in_name(query, intakes) if len(words) > 1 else Q()
    match |= _compact_in("full_name", compact, "name_compact", intakes)
    match |= _compact_in("full_name_kana", to_katakana(compact), "kana_compact", intakes)
    match |= _reference(query) | _phone(query)
    return (
        _with_bigrams(intakes)
        .alias(
            phone_digits=phone_digits(),
            name_compact=without_spaces("full_name"),
            kana_compact=without_spaces("full_name_kana"),
            reference_compact=_reference_compact(),
        )
        .filter(match)
    )


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
    match = _every_word_in_name(query, patients)
    born = parse_date(query)
    if born is not None:
        match |= Q(date_of_birth=born)
    match |= _phone(query)
    return _with_bigrams(patients).alias(phone_digits=phone_digits()).filter(match)

"""Confirm a date of birth before a link opens anything personal (spec §5's repeat intake).

A link that leads to a patient's earlier answers asks first for the date of birth on record:
forms.py (the question), services.py (compare, and count a wrong date on the link's own row in
one statement), views.py (`birth_date_gate`: ask, remember a right answer in the session, show
the locked page). The count is in the database, never in the session: a new browser does not
start it again. After BIRTH_DATE_TRIES wrong dates in all the link locks, even to the right
date, and the patient is told to contact the clinic.

A model guarded this way has a `birth_date_failures` counter (PositiveSmallIntegerField,
default 0, not editable). Used by repeat invitations (`intake/invitations/`); any link that opens
a patient's answers (resuming them from an e-mail, say) can use the same three pieces.
"""

from __future__ import annotations

from typing import Any

BIRTH_DATE_TRIES = 5
FAILURES_FIELD = "birth_date_failures"


def birth_date_tries_left(record: Any) -> int:
    """How many wrong dates the link still takes before it locks (0: locked), as last read."""
    return max(BIRTH_DATE_TRIES - getattr(record, FAILURES_FIELD), 0)

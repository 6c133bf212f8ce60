"""Where the wizard keeps the patient's answers: the session, written only when something changed.

formtools' SessionStorage marks the session modified on every read, so every page of the wizard
wrote the whole session back to the database. Here a write happens when the answers, the current
step or the extra data change, and when the answers' time is extended (at most once a minute).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from formtools.wizard.storage.session import SessionStorage

# When the session was last saved by a wizard page, in seconds since the epoch: the answers are
# kept SESSION_COOKIE_AGE from then (the session's expiry and the cookie's both count from it).
KEPT_SINCE_KEY = "answers_kept_since"
# A page opened within this many seconds of the last save does not save again: the time it says
# the answers are kept until is then that save's, a minute at most earlier than a new one's.
KEEP_AGAIN_AFTER = 60


class WizardSessionStorage(SessionStorage):
    # Counts the changes of the stored answers in this request (intake.wizard_forms reads it).
    version = 0

    def _get_data(self) -> dict[str, Any]:
        return self.request.session[self.prefix]

    def _set_data(self, value: dict[str, Any]) -> None:
        super()._set_data(value)
        self.version += 1

    data = property(_get_data, _set_data)

    def _changed(self, key: str, before: Any) -> None:
        if self.data[key] != before:
            self.request.session.modified = True

    def _set_current_step(self, step: str | None) -> None:
        before = self.data[self.step_key]
        super()._set_current_step(step)
        self._changed(self.step_key, before)

    def _set_extra_data(self, extra_data: dict[str, Any]) -> None:
        before = self.data[self.extra_data_key]
        super()._set_extra_data(extra_data)
        self._changed(self.extra_data_key, before)

    def set_step_data(self, step: str, cleaned_data: Any) -> None:
        step_data = self.data[self.step_data_key]
        before = step_data.get(step)
        super().set_step_data(step, cleaned_data)
        self.version += 1
        if step_data.get(step) != before:
            self.request.session.modified = True

    def set_step_files(self, step: str, files: Any) -> None:
        super().set_step_files(step, files)
        if files:
            self.request.session.modified = True


def answers_keep(session: Any) -> None:
    """After a wizard page: keep the answers another SESSION_COOKIE_AGE from now, unless this
    session was saved less than KEEP_AGAIN_AFTER ago and nothing changed since."""
    now = time.time()
    since = session.get(KEPT_SINCE_KEY)
    if session.modified or not isinstance(since, float) or now - since >= KEEP_AGAIN_AFTER:
        session[KEPT_SINCE_KEY] = now


def answers_kept_until(session: Any) -> datetime.datetime:
    """When the server erases this session's answers if no page is opened before then."""
    since = session.get(KEPT_SINCE_KEY)
    if not isinstance(since, float):
        return session.get_expiry_date()
    saved = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    return session.get_expiry_date(modification=saved)

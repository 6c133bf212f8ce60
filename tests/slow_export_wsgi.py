"""The app as clinic.wsgi serves it, with an export slower than a test's gunicorn timeout.

Each intake's row takes a tenth of a second more, two intakes to a batch: a worker that reports
itself alive between batches (gunicorn.conf.py, intake/heartbeat.py) goes on past the timeout;
one that does not is killed. For tests/test_export.py only.
"""

from __future__ import annotations

import time
from typing import Any

from clinic.wsgi import application
from intake import export

__all__ = ["application"]
ROW_SECONDS = 0.1

export.BATCH_SIZE = 2
_row = export.row


def _slow_row(*args: Any, **kwargs: Any) -> list[str]:
    time.sleep(ROW_SECONDS)
    return _row(*args, **kwargs)


export.row = _slow_row

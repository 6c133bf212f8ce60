"""A long response tells the app server that its worker is alive.

gunicorn's arbiter kills a sync worker that has not reported for `timeout` seconds (30), and a
worker reports only between requests: a response that streams for longer (the CSV export of every
intake) would be cut off with the worker. gunicorn.conf.py's `post_worker_init` installs the
worker's `notify` here; such a response calls `beat()` after each part it sends. Elsewhere (the
development server, the tests, a management command) nothing is installed and `beat()` does
nothing. A client that stops reading blocks the worker before its next beat, so that worker is
still killed after the timeout.

Standard library only: gunicorn.conf.py imports it.
"""

from __future__ import annotations

from collections.abc import Callable

_notify: Callable[[], None] | None = None


def install(notify: Callable[[], None] | None) -> None:
    """Report through `notify` from now on (None: no longer)."""
    global _notify
    _notify = notify


def beat() -> None:
    """Tell the app server this worker is alive and working."""
    if _notify is not None:
        _notify()

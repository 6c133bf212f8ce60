"""gunicorn's production defaults; `gunicorn clinic.wsgi` in this folder reads this file.

Every value can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "clinic.wsgi"
# Behind the reverse proxy on the same host; use 0.0.0.0:8000 when the proxy is on another one.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the app is CPU-light and waits on PostgreSQL; the proxy buffers slow clients.
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
timeout = 30
graceful_timeout = 30

# The access log carries no patient data: method, path without the query string, status, size
# and duration. No client address (the proxy logs it), no referrer (it may carry a query string).
accesslog = "-"
# Invitation links carry a token that opens a patient's details: it never reaches the log.
logger_class = "intake.logfilters.RedactingGunicornLogger"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"


def post_worker_init(worker: object) -> None:
    """A response longer than `timeout` (the CSV export of every intake) reports that the worker
    is alive between its parts (intake/heartbeat.py), so the arbiter does not kill it."""
    from intake import heartbeat

    heartbeat.install(worker.notify)  # type: ignore[attr-defined]


# gunicorn 25.1+ opens a control socket for `gunicornc`, by default at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): several instances on one host would
# share it, and stopping one deletes the other's. Each instance gets its own path
# (GUNICORN_CONTROL_SOCKET, which deploy/systemd/clinic-intake@.service sets per port), or none.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
    control_socket_mode = 0o600
else:
    control_socket_disable = True

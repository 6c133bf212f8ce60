"""The deploy kit read as files: gunicorn's settings, the lock file, nginx's site, systemd's units.

What these files do when run is proved by `deploy/smoke-test` (nginx, two app servers, Chromium);
here, the properties a reader could break by editing them: several gunicorn instances on one
host, a lock that covers every dependency, a proxy log without queries, referrers or tokens,
and a timer and a real command behind every scheduled job.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

from django.core.management import get_commands
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import ROOT
from tests.live_server import gunicorn, server_env

LOCK = ROOT / "requirements" / "production.txt"
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
NGINX_SITE = DEPLOY / "nginx" / "clinic-intake.conf"


# gunicorn --------------------------------------------------------------------------------------
def _sockets(home: Path) -> list[Path]:
    return sorted(path for path in home.rglob("*") if path.is_socket())


def test_two_gunicorn_instances_on_one_host_share_no_control_socket(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = server_env(database, HOME=str(tmp_path))
    env.pop("XDG_RUNTIME_DIR", None)

    with gunicorn(env, workers=1) as (first, _), gunicorn(env, workers=1) as (second, _):
        # gunicorn's default would be one ~/.gunicorn/gunicorn.ctl for both.
        assert _sockets(tmp_path) == []


def test_each_instance_given_a_control_socket_keeps_its_own(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    paths = [tmp_path / "run-8001" / "gunicorn.ctl", tmp_path / "run-8002" / "gunicorn.ctl"]
    envs = [
        server_env(database, HOME=str(tmp_path), GUNICORN_CONTROL_SOCKET=str(path))
        for path in paths
    ]

    with gunicorn(envs[1], workers=1):
        with gunicorn(envs[0], workers=1):
            assert _sockets(tmp_path) == paths
            assert oct(paths[0].stat().st_mode & 0o777) == "0o600"
        # Stopping the first removed its socket only.
        assert _sockets(tmp_path) == [paths[1]]


# The lock file -----------------------------------------------------------------------------------
def _pins() -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) of every requirement in the lock file."""
    pins: dict[str, tuple[str, int]] = {}
    name = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", line):
            name = canonicalize_name(match[1])
            pins[name] = (match[2], 0)
        elif "--hash=sha256:" in line and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_lock_pins_every_dependency_of_pyproject_with_hashes() -> None:
    pins = _pins()

    for dependency in _project()["dependencies"]:
        requirement = Requirement(dependency)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name}: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (name, version)
    assert "psycopg-binary" in pins
    assert all(hashes > 0 for _, hashes in pins.values()), pins


def test_the_lock_holds_none_of_the_dev_tools() -> None:
    dev_tools = {
        canonicalize_name(Requirement(d).name) for d in _project()["optional-dependencies"]["dev"]
    }

    assert dev_tools, "pyproject.toml lost its dev extra"
    assert not dev_tools & _pins().keys()


# nginx -------------------------------------------------------------------------------------------
def _nginx() -> str:
    return NGINX_SITE.read_text(encoding="utf-8")


def test_the_proxy_log_has_no_query_string_no_referrer_and_no_invitation_token() -> None:
    log_format = re.search(r"log_format clinic_intake (.*?);", _nginx(), re.S)[1]
    for variable in ("$request ", "$request_uri", "$args", "$query_string", "$http_referer"):
        assert variable not in log_format + " ", variable
    assert "$clinic_intake_log_path" in log_format
    assert "[redacted]" in _nginx()
    # Every log line of every server uses that format; error lines (which quote the request) only
    # when critical.
    assert re.findall(r"access_log (\S+) clinic_intake;", _nginx())
    assert not re.search(r"access_log [^;]*(?<!clinic_intake);", _nginx())
    assert set(re.findall(r"error_log \S+ (\w+);", _nginx())) == {"crit"}


def test_the_proxy_ends_tls_redirects_http_and_fails_over() -> None:
    site = _nginx()
    assert "listen 443 ssl" in site and "ssl_certificate " in site and "ssl_certificate_key" in site
    assert "return 301 https://$host$request_uri;" in site
    assert "proxy_set_header Host $http_host;" in site
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_next_upstream error timeout http_500 http_502 http_503 http_504;" in site
    assert len(re.findall(r"server \S+ max_fails=\d+ fail_timeout=\d+s;", site)) == 2
    assert "client_max_body_size" in site and "proxy_read_timeout" in site


# systemd -----------------------------------------------------------------------------------------
def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_every_timer_starts_a_service_whose_command_exists() -> None:
    commands = get_commands()
    timers = sorted(SYSTEMD.glob("*.timer"))
    jobs = []
    for timer in timers:
        assert _unit(timer)["Timer"]["OnCalendar"]
        assert _unit(timer)["Timer"]["Persistent"] == "true"
        service = _unit(timer.with_suffix(".service"))["Service"]
        python, manage, job, *_args = service["ExecStart"].split()
        assert (python, manage) == ("/opt/clinic-intake/.venv/bin/python", "manage.py")
        assert job in commands, job
        jobs.append(job)

    assert set(jobs) == {
        "backup_database",
        "clearsessions",
        "purge_intakes",
        "axes_reset_logs",
        "send_reminders",
    }


def test_the_worker_unit_runs_the_task_worker_and_restarts_it() -> None:
    service = _unit(SYSTEMD / "clinic-intake-worker.service")["Service"]
    python, manage, command, *options = service["ExecStart"].split()

    assert (python, manage, command) == (
        "/opt/clinic-intake/.venv/bin/python",
        "manage.py",
        "db_worker",
    )
    assert command in get_commands()
    # Never the autoreloader in production (it would cut a sending short on a code change).
    assert "--no-reload" in options
    assert service["Restart"] == "always"
    assert service["KillSignal"] == "SIGTERM"
    assert _unit(SYSTEMD / "clinic-intake-worker.service")["Install"]["WantedBy"] == (
        "multi-user.target"
    )


def test_every_unit_reads_the_one_environment_file_as_the_app_user() -> None:
    for path in SYSTEMD.glob("*.service"):
        service = _unit(path)["Service"]
        assert service["EnvironmentFile"] == "/etc/clinic-intake/env", path.name
        assert service["User"] == "clinic-intake", path.name
        assert service["UMask"] == "0077", path.name


def test_each_app_server_instance_has_its_own_port_and_control_socket() -> None:
    service = (SYSTEMD / "clinic-intake@.service").read_text(encoding="utf-8")

    assert "Environment=GUNICORN_BIND=127.0.0.1:%i" in service
    assert "Environment=GUNICORN_CONTROL_SOCKET=/run/clinic-intake-%i/gunicorn.ctl" in service
    assert "RuntimeDirectory=clinic-intake-%i" in service

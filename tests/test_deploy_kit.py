"""The deploy kit read as files: gunicorn's settings, the lock file, nginx's site, systemd's units.

What these files do when run is proved by `deploy/smoke-test` (nginx, two app servers, Chromium);
here, the properties a reader could break by editing them: several gunicorn instances on one
host, a lock that covers every dependency, a proxy log without queries, referrers or tokens,
and a timer and a real command behind every scheduled job.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import ROOT
from tests.live_server import gunicorn, server_env

LOCK = ROOT / "requirements" / "production.txt"


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

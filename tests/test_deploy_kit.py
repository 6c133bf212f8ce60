"""The deploy kit read as files: gunicorn's settings, the lock file, nginx's site, systemd's units.

What these files do when run is proved by `deploy/smoke-test` (nginx, two app servers, Chromium);
here, the properties a reader could break by editing them: several gunicorn instances on one
host, a lock that covers every dependency, a proxy log without queries, referrers or tokens,
and a timer and a real command behind every scheduled job.
"""

from __future__ import annotations

from pathlib import Path

from tests.live_server import gunicorn, server_env


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

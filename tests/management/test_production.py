"""On a production machine (its environment file exists) nothing runs on SQLite unloaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from intake.management import production
from tests.helpers import ROOT, clean_environment

ENV_FILE = """\
# /etc/clinic-intake/env
DJANGO_ENV=production
DJANGO_SECRET_KEY=not-a-real-key-but-long-enough-for-the-test-0123456789abcdef
DJANGO_ALLOWED_HOSTS=intake.clinic.example.jp
DATABASE_URL=postgres://clinic_intake:secret@127.0.0.1:5432/clinic_intake
"""


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "env"
    path.write_text(ENV_FILE, encoding="utf-8")
    monkeypatch.setenv(production.ENV_FILE_VARIABLE, str(path))
    for name in ("DJANGO_ENV", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return path


def manage(*args: str, env_file: Path, database_url: str | None) -> subprocess.CompletedProcess:
    env = clean_environment()
    env[production.ENV_FILE_VARIABLE] = str(env_file)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["purge_intakes"],
        ["clearsessions"],
        ["axes_reset_logs", "--age", "90"],
        ["rescreen"],
        ["migrate", "--no-input"],
        ["setup_clinic", "--no-input"],
        # The task worker reads and writes the queue and the e-mails' status: never on SQLite.
        ["db_worker", "--batch", "--no-reload"],
        ["send_reminders"],
    ],
)
def test_a_daily_job_without_the_production_environment_refuses_and_touches_no_sqlite(
    command: list[str], env_file: Path, tmp_path: Path
) -> None:
    stray = tmp_path / "stray.sqlite3"

    result = manage(*command, env_file=env_file, database_url=f"sqlite:///{stray}")

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Refusing to run `{command[0]}`" in result.stderr
    assert str(env_file) in result.stderr
    assert "(DJANGO_ALLOWED_HOSTS, DJANGO_ENV, DJANGO_SECRET_KEY: not set)" in result.stderr
    assert "deploy/manage" in result.stderr
    assert "読み込まれていません" in result.stderr
    assert not stray.exists()


def test_the_refusal_names_database_url_first_when_nothing_is_loaded(env_file: Path) -> None:
    message = production.refusal(
        "purge_intakes", database_engine="django.db.backends.sqlite3", app_dir=ROOT
    )

    assert message is not None
    assert "(DATABASE_URL, DJANGO_ALLOWED_HOSTS, DJANGO_ENV, DJANGO_SECRET_KEY: not set)" in message


def test_commands_that_touch_no_data_still_run(env_file: Path) -> None:
    result = manage("check", env_file=env_file, database_url=None)

    assert result.returncode == 0, result.stdout + result.stderr


def test_with_the_environment_loaded_the_command_runs(env_file: Path) -> None:
    message = production.refusal(
        "purge_intakes", database_engine="django.db.backends.postgresql", app_dir=ROOT
    )

    assert message is None


def test_a_machine_without_the_production_file_runs_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(production.ENV_FILE_VARIABLE, str(tmp_path / "absent"))

    message = production.refusal(
        "purge_intakes", database_engine="django.db.backends.sqlite3", app_dir=ROOT
    )

    assert message is None


def test_the_default_file_is_etc_clinic_intake_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(production.ENV_FILE_VARIABLE, raising=False)

    assert production.env_file() == Path("/etc/clinic-intake/env")


def test_the_file_is_read_as_systemd_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "env"
    path.write_text(
        "# comment\n; comment\n\nDJANGO_ENV=production\nexport GUNICORN_BIND = x\n"
        "DATABASE_URL='postgres://a:b=c@h/d'\nnot a line\n",
        encoding="utf-8",
    )

    assert production.env_file_variables(path) == ["DJANGO_ENV", "GUNICORN_BIND", "DATABASE_URL"]
    assert production.env_file_variables(tmp_path / "absent") is None

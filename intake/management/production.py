"""No command works on a stray SQLite file on a production machine whose environment is not loaded.

A production machine has an environment file (`/etc/clinic-intake/env`, or the path in
CLINIC_ENV_FILE) that the systemd units read. A command started by hand or by cron without it
would fall back to SQLite (db.sqlite3, created if missing): a purge that "worked" while the clinic's
PostgreSQL was never cleaned, a first administrator made in a file nobody serves. So when that file
exists and the database is SQLite, every command that may read or write the database refuses, and
says which variables are missing. manage.py asks before running any command; `deploy/manage`
loads the file and runs manage.py. A laptop, with no such file, is not concerned.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

ENV_FILE_VARIABLE = "CLINIC_ENV_FILE"
DEFAULT_ENV_FILE = "/etc/clinic-intake/env"
# What production needs at least, named when the file itself can't be read.
ESSENTIAL_VARIABLES = ("DJANGO_ENV", "DATABASE_URL")
# Commands that read and write no data: they run anywhere. Every other command, including the
# ones apps add later (a task worker), is refused on SQLite when the production file exists.
SAFE_COMMANDS = frozenset(
    {
        "check",
        "collectstatic",
        "compilemessages",
        "diffsettings",
        "findstatic",
        "help",
        "makemessages",
        "makemigrations",
        "screen",
        "sqlmigrate",
        "squashmigrations",
        "startapp",
        "startproject",
        "version",
    }
)


def env_file() -> Path:
    return Path(os.environ.get(ENV_FILE_VARIABLE) or DEFAULT_ENV_FILE)


def env_file_variables(path: Path) -> list[str] | None:
    """The names the file sets (KEY=value lines, as systemd reads them), or None if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    names = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or "=" not in line:
            continue
        name = line.split("=", 1)[0].strip().removeprefix("export ").strip()
        if name and name not in names:
            names.append(name)
    return names


def unloaded_variables(path: Path) -> list[str]:
    """The file's variables missing from this process's environment (DATABASE_URL first)."""
    names = env_file_variables(path)
    if names is None:
        names = list(ESSENTIAL_VARIABLES)
    missing = [name for name in names if name not in os.environ]
    if "DATABASE_URL" not in missing and "DATABASE_URL" not in os.environ:
        missing.append("DATABASE_URL")
    return sorted(missing, key=lambda name: (name != "DATABASE_URL", name))


def refusal(command: str, *, database_engine: str, app_dir: Path) -> str | None:
    """Why `command` must not run here, or None when it may."""
    if command in SAFE_COMMANDS:
        return None
    path = env_file()
    if not path.exists() or not database_engine.endswith("sqlite3"):
        return None
    missing = unloaded_variables(path)
    unset = ", ".join(missing) if missing else "DATABASE_URL points at SQLite"
    runner = app_dir / "deploy" / "manage"
    return (
        f"Refusing to run `{command}`: this is a production machine ({path} exists) but its "
        f"environment is not loaded ({unset}: not set), so the command would use SQLite instead "
        f"of the clinic's database. Run `{runner} {command}`, which loads {path}, or set "
        f"{ENV_FILE_VARIABLE} to the right file.\n"
        f"`{command}` を実行しません：本番環境の設定ファイル（{path}）がありますが読み込まれて"
        f"いません（{unset} が未設定）。このままではクリニックのデータベースではなく SQLite を"
        f"使ってしまいます。`{runner} {command}` で実行してください（設定ファイルを読み込みます）。"
    )


def check_command_line(argv: Sequence[str]) -> str | None:
    """manage.py's question before any command: the refusal for this command line, if any."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    command = argv[1] if len(argv) > 1 else "help"
    if command.startswith("-"):
        command = "help"
    try:
        engine = settings.DATABASES["default"]["ENGINE"]
        app_dir = Path(settings.BASE_DIR)
    except ImproperlyConfigured:
        return None  # Django reports that itself, with the variable it needs.
    return refusal(command, database_engine=engine, app_dir=app_dir)

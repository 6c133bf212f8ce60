"""What `backup_database` and `restore_check` share: the server, the files, the pipelines.

Every PostgreSQL client is called with explicit connection options (--host, --port, --username,
--no-password) taken from Django's settings, never from the caller's PG* variables; the password
goes through the environment, never the command line. Every pipeline checks every process's exit
status (the `set -o pipefail` of a shell script) and fails with what the tool printed.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.core.management.base import CommandError
from psycopg import sql

DEFAULT_DIR = "/var/lib/clinic-intake/backups"
DEFAULT_KEEP_DAYS = 35
DUMP_SUFFIXES = (".dump", ".dump.age")
# NAME-2026-11-21T023000.dump[.age], beside NAME-2026-11-21T023000.json (the manifest).
STAMP_FORMAT = "%Y-%m-%dT%H%M%S"
STAMP = re.compile(r"-(\d{4}-\d{2}-\d{2}T\d{6})\.(?:dump(?:\.age)?|json)$")
SAFE_NAME = re.compile(r"^[A-Za-z0-9_]{1,63}$")


@dataclass(frozen=True)
class Server:
    """A PostgreSQL server and the role to use there (a database is named per call)."""

    host: str
    port: str
    user: str
    password: str
    sslmode: str
    database: str

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Server:
        if not settings_dict["ENGINE"].endswith("postgresql"):
            raise CommandError(
                f"Backups need PostgreSQL; this database is {settings_dict['ENGINE']} "
                "(set DATABASE_URL=postgres://...)."
            )
        return cls(
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or "5432"),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            sslmode=str((settings_dict.get("OPTIONS") or {}).get("sslmode") or ""),
            database=str(settings_dict["NAME"]),
        )

    @classmethod
    def from_url(cls, url: str) -> Server:
        return cls.from_settings(dj_database_url.parse(url))

    def options(self, database: str) -> list[str]:
        """The connection options of pg_dump and pg_restore, explicit."""
        host = ["--host", self.host] if self.host else []
        user = ["--username", self.user] if self.user else []
        return [*host, "--port", self.port, *user, "--no-password", "--dbname", database]

    def env(self) -> dict[str, str]:
        """The caller's environment without its PG* variables, plus this server's password."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["PGCONNECT_TIMEOUT"] = "10"
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def connect(self, database: str, **kwargs: Any) -> psycopg.Connection:
        params = {"host": self.host, "port": self.port, "user": self.user}
        params = {key: value for key, value in params.items() if value}
        if self.password:
            params["password"] = self.password
        if self.sslmode:
            params["sslmode"] = self.sslmode
        try:
            return psycopg.connect(dbname=database, connect_timeout=10, **params, **kwargs)
        except psycopg.Error as error:
            raise CommandError(f"Cannot connect to {database}: {error}") from error


def tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian: apt-get install {package}).")
    return path


def run_pipeline(
    commands: Sequence[Sequence[str]],
    *,
    env: Mapping[str, str],
    stdout: Path | None = None,
    timeout: float = 3600,
) -> None:
    """Run `a | b | c` (stdout of the last into `stdout` if given); fail unless all succeed."""
    processes: list[subprocess.Popen[bytes]] = []
    errors = []
    output = stdout.open("xb") if stdout else subprocess.DEVNULL
    try:
        previous = None
        for index, command in enumerate(commands):
            last = index == len(commands) - 1
            process = subprocess.Popen(
                list(command),
                stdin=previous.stdout if previous else subprocess.DEVNULL,
                stdout=output if last else subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(env),
            )
            if previous and previous.stdout:
                previous.stdout.close()  # the next process owns it now
            processes.append(process)
            previous = process
        for process in processes:
            _out, err = process.communicate(timeout=timeout)
            errors.append(err.decode("utf-8", "replace").strip())
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        if stdout:
            output.close()  # type: ignore[union-attr]
    failed = [
        f"{Path(command[0]).name} exited with {process.returncode}: {error or '(no message)'}"
        for command, process, error in zip(commands, processes, errors, strict=True)
        if process.returncode != 0
    ]
    if failed:
        raise CommandError("; ".join(failed))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(dump: Path) -> Path:
    name = dump.name.removesuffix(".age").removesuffix(".dump")
    return dump.with_name(name + ".json")


def stamp_of(path: Path) -> datetime.datetime | None:
    match = STAMP.search(path.name)
    return datetime.datetime.strptime(match[1], STAMP_FORMAT) if match else None


def backups(directory: Path, database: str) -> list[Path]:
    """The dumps of `database` in `directory`, oldest first (partial files are not backups)."""
    if not directory.is_dir():
        return []
    found = [
        path
        for path in directory.iterdir()
        if path.name.startswith(f"{database}-")
        and path.name.endswith(DUMP_SUFFIXES)
        and stamp_of(path) is not None
    ]
    return sorted(found, key=lambda path: stamp_of(path) or datetime.datetime.min)


def table_counts(connection: psycopg.Connection) -> dict[str, int]:
    """Rows per table of the current schema, every table, in this connection's snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(connection: psycopg.Connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app || '.' || name FROM django_migrations ORDER BY app, name")
        return [row[0] for row in cursor.fetchall()]


def newest_intake(connection: psycopg.Connection, table: str) -> dict[str, Any] | None:
    """The last intake submitted (id and time only: the manifest names no patient)."""
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT id, submitted_at FROM {} ORDER BY submitted_at DESC, id DESC LIMIT 1"
            ).format(sql.Identifier(table))
        )
        row = cursor.fetchone()
    return {"id": row[0], "submitted_at": row[1].isoformat()} if row else None

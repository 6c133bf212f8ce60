"""`python manage.py backup_database [--dir DIR] [--keep-days N] [--recipient AGE_PUBLIC_KEY]`.

A pg_dump of the clinic's database (custom format), readable by its owner only (umask 077, the
folder 0700), encrypted with `age` when a public key is given (BACKUP_AGE_RECIPIENTS; the private
key stays off this machine), then backups older than N days deleted. Beside each dump, a manifest
(NAME-STAMP.json): the dump's SHA-256, the applied migrations, the rows of every table and the
newest intake's id and time, all counted in the very snapshot pg_dump saves, so `restore_check`
can compare a restore with what was dumped. A dump is written under a `.partial` name and renamed
only once pg_dump (and age) succeeded: a file without `.partial` is a whole one.

Environment: BACKUP_DIR (default /var/lib/clinic-intake/backups), BACKUP_KEEP_DAYS (35),
BACKUP_AGE_RECIPIENTS (age public keys, space-separated; none: no encryption).
Exits non-zero, with the tool's own message, on any failure.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone
from psycopg import IsolationLevel

from intake.management import backups
from intake.models import Intake


def positive_days(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Dump the database (owner-only, optionally encrypted with age), then rotate old dumps."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=os.environ.get("BACKUP_DIR") or backups.DEFAULT_DIR)
        parser.add_argument(
            "--keep-days",
            type=positive_days,
            default=positive_days(os.environ.get("BACKUP_KEEP_DAYS") or "35"),
            help="delete this database's backups older than this (default 35)",
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=None,
            help="age public key to encrypt to (default: BACKUP_AGE_RECIPIENTS; none: plain)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        server = backups.Server.from_settings(connection.settings_dict)
        recipients = options["recipient"] or os.environ.get("BACKUP_AGE_RECIPIENTS", "").split()
        pg_dump = backups.tool("pg_dump", "postgresql-client")
        age = backups.tool("age", "age") if recipients else None
        os.umask(0o077)
        directory = Path(options["dir"])
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if directory.stat().st_mode & 0o077:
            directory.chmod(0o700)

        now = timezone.localtime()
        stem = f"{server.database}-{now.strftime(backups.STAMP_FORMAT)}"
        dump = directory / (stem + (".dump.age" if age else ".dump"))
        partial = dump.with_name(dump.name + ".partial")
        if dump.exists() or partial.exists():
            raise CommandError(f"{dump} already exists: one backup per second at most.")

        dump_command = [pg_dump, "--format=custom", *server.options(server.database)]
        with server.connect(server.database) as source:
            # One snapshot for the counts and the dump: the manifest describes exactly the dump.
            source.isolation_level = IsolationLevel.REPEATABLE_READ
            source.read_only = True
            with source.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            manifest = {
                "format": 1,
                "database": server.database,
                "created_at": now.isoformat(),
                "tables": backups.table_counts(source),
                "migrations": backups.applied_migrations(source),
                "newest_intake": backups.newest_intake(source, Intake._meta.db_table),
            }
            commands = [[*dump_command, f"--snapshot={snapshot}"]]
            if age:
                commands.append([age, *(f"--recipient={key}" for key in recipients)])
            try:
                backups.run_pipeline(commands, env=server.env(), stdout=partial)
            except CommandError:
                partial.unlink(missing_ok=True)
                raise
        if partial.stat().st_size == 0:
            partial.unlink()
            raise CommandError("pg_dump wrote nothing.")
        manifest.update(file=dump.name, sha256=backups.sha256(partial), encrypted=bool(age))
        partial.rename(dump)
        manifest_file = backups.manifest_path(dump)
        manifest_file.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")

        size = dump.stat().st_size
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup {dump} ({size} bytes, {'encrypted with age' if age else 'NOT encrypted'}): "
            f"{len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['tables'].get(Intake._meta.db_table, 0)} intakes."
        )
        self.rotate(directory, server.database, keep_days=options["keep_days"], newest=dump)

    def rotate(self, directory: Path, database: str, *, keep_days: int, newest: Path) -> None:
        cutoff = timezone.localtime().replace(tzinfo=None) - datetime.timedelta(days=keep_days)
        for old in backups.backups(directory, database):
            stamp = backups.stamp_of(old)
            if old == newest or stamp is None or stamp >= cutoff:
                continue
            old.unlink()
            backups.manifest_path(old).unlink(missing_ok=True)
            self.stdout.write(f"Deleted {old.name} (older than {keep_days} days).")

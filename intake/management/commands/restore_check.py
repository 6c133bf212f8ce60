"""`python manage.py restore_check [FILE] [--date yesterday] [--identity KEY] [--keep]`.

Restores a backup into a scratch database and checks it against what was dumped: the file's
SHA-256, pg_restore's own success (--exit-on-error, one transaction), no migration of this code
left unapplied and the same ones as the source had, the rows of every table, and the newest
intake (also still present in the source database). Prints each check; exits non-zero on any
doubt, with the reasons. The scratch database is dropped afterwards unless --keep.

Without FILE: the newest backup of this database in BACKUP_DIR (of that day with --date).
Encrypted backups need the age private key: --identity FILE or BACKUP_AGE_IDENTITY.
The scratch database (default NAME_restore_check) is made on the same server with the same role
(which then needs CREATEDB), or on the server and role of RESTORE_DATABASE_URL / --server-url.
It must not exist yet: this command never drops a database it did not create.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from psycopg import sql

from intake.management import backups
from intake.models import Intake


def day(value: str) -> datetime.date:
    today = timezone.localdate()
    named = {"today": today, "yesterday": today - datetime.timedelta(days=1)}
    return named.get(value) or datetime.date.fromisoformat(value)


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and check it; non-zero on any doubt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="a .dump or .dump.age (default: the newest)")
        parser.add_argument("--dir", default=os.environ.get("BACKUP_DIR") or backups.DEFAULT_DIR)
        parser.add_argument("--date", type=day, help="YYYY-MM-DD, today or yesterday")
        parser.add_argument("--identity", default=os.environ.get("BACKUP_AGE_IDENTITY") or None)
        parser.add_argument("--scratch", help="scratch database name (default: NAME_restore_check)")
        parser.add_argument("--server-url", default=os.environ.get("RESTORE_DATABASE_URL") or None)
        parser.add_argument("--keep", action="store_true", help="keep the scratch database")

    def handle(self, *args: Any, **options: Any) -> None:
        source = backups.Server.from_settings(connection.settings_dict)
        server = backups.Server.from_url(options["server_url"]) if options["server_url"] else source
        dump = self.choose(options["file"], Path(options["dir"]), source.database, options["date"])
        scratch = options["scratch"] or f"{source.database}_restore_check"
        if not backups.SAFE_NAME.match(scratch):
            raise CommandError(f"Not a plain database name: {scratch!r}.")
        if (server.host, server.port, scratch) == (source.host, source.port, source.database):
            raise CommandError("The scratch database can't be the source database.")
        self.problems: list[str] = []
        self.stdout.write(f"Restore check of {dump} into {scratch}:")
        manifest = self.read_manifest(dump)
        commands = self.restore_commands(dump, server, scratch, options["identity"])

        with server.connect(server.database or "postgres", autocommit=True) as admin:
            with admin.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [scratch])
                if cursor.fetchone():
                    raise CommandError(
                        f"{scratch} exists already: drop it or choose another --scratch."
                    )
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
            try:
                self.restore_and_compare(commands, server, scratch, manifest)
            finally:
                if options["keep"]:
                    self.stdout.write(f"Kept the scratch database {scratch}.")
                else:
                    with admin.cursor() as cursor:
                        drop = sql.SQL("DROP DATABASE {} WITH (FORCE)")
                        cursor.execute(drop.format(sql.Identifier(scratch)))
                    self.stdout.write(f"Dropped the scratch database {scratch}.")
        if self.problems:
            raise CommandError(
                f"RESTORE CHECK FAILED ({len(self.problems)}): " + "; ".join(self.problems)
            )
        self.stdout.write(self.style.SUCCESS(f"RESTORE CHECK PASSED: {dump.name}"))

    # Which backup, and what it should hold -------------------------------------------------------
    def choose(
        self, file: str | None, directory: Path, database: str, date: datetime.date | None
    ) -> Path:
        if file:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"No such backup: {path}")
            return path
        found = backups.backups(directory, database)
        if date:
            found = [
                path for path in found if (stamp := backups.stamp_of(path)) and stamp.date() == date
            ]
        if not found:
            when = f" of {date.isoformat()}" if date else ""
            raise CommandError(f"No backup of {database}{when} in {directory}.")
        return found[-1]

    def read_manifest(self, dump: Path) -> dict[str, Any]:
        path = backups.manifest_path(dump)
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(
                f"No readable manifest beside the backup ({path}): {error}"
            ) from error
        digest = backups.sha256(dump)
        if digest != manifest.get("sha256"):
            raise CommandError(f"{dump.name} is not the file its manifest describes (SHA-256).")
        self.verdict(True, "file intact (SHA-256 as recorded)")
        return manifest

    def restore_commands(
        self, dump: Path, server: backups.Server, scratch: str, identity: str | None
    ) -> list[list[str]]:
        pg_restore = backups.tool("pg_restore", "postgresql-client")
        restore = [
            pg_restore,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            *server.options(scratch),
        ]
        if not dump.name.endswith(".age"):
            return [[*restore, str(dump)]]
        if not identity:
            raise CommandError(
                f"{dump.name} is encrypted: give the age private key (--identity or "
                "BACKUP_AGE_IDENTITY)."
            )
        return [
            [backups.tool("age", "age"), "--decrypt", "--identity", identity, str(dump)],
            restore,
        ]

    # The checks ----------------------------------------------------------------------------------
    def verdict(self, ok: bool, what: str) -> None:
        self.stdout.write(f"  {'ok    ' if ok else 'FAILED'}  {what}")
        if not ok:
            self.problems.append(what)

    def restore_and_compare(
        self,
        commands: list[list[str]],
        server: backups.Server,
        scratch: str,
        manifest: dict[str, Any],
    ) -> None:
        try:
            backups.run_pipeline(commands, env=server.env())
        except CommandError as error:
            self.verdict(False, f"restore: {error}")
            return
        self.verdict(True, "pg_restore succeeded (exit on error, one transaction)")
        with server.connect(scratch) as restored:
            self.compare_migrations(restored, manifest)
            counts = backups.table_counts(restored)
            newest = backups.newest_intake(restored, Intake._meta.db_table)
        expected = manifest["tables"]
        differ = sorted(
            f"{table} {counts.get(table)} ≠ {rows}"
            for table, rows in expected.items()
            if counts.get(table) != rows
        )
        extra = sorted(set(counts) - set(expected))
        self.verdict(
            not differ and not extra,
            f"rows of all {len(expected)} tables as dumped"
            + (
                f": {', '.join(differ + [f'{t} not dumped' for t in extra])}"
                if differ or extra
                else ""
            ),
        )
        dumped = manifest["newest_intake"]
        self.verdict(
            newest == dumped,
            f"newest intake as dumped ({_intake(newest)}"
            + (")" if newest == dumped else f"; dumped {_intake(dumped)})"),
        )
        self.compare_with_source(newest)

    def compare_migrations(self, restored: Any, manifest: dict[str, Any]) -> None:
        try:
            applied = set(backups.applied_migrations(restored))
        except Exception as error:  # noqa: BLE001 - any failure is a failed check
            self.verdict(False, f"migrations readable: {error}")
            return
        loader = MigrationLoader(None, ignore_no_migrations=True)
        known = {f"{app}.{name}" for app, name in loader.graph.nodes}
        unapplied = sorted(known - applied)
        self.verdict(
            not unapplied,
            f"all {len(known)} migrations of this code applied"
            + (f": unapplied {', '.join(unapplied)}" if unapplied else ""),
        )
        self.verdict(
            applied == set(manifest["migrations"]),
            f"the same {len(manifest['migrations'])} migrations as the source had when dumped",
        )

    def compare_with_source(self, newest: dict[str, Any] | None) -> None:
        if newest is None:
            self.verdict(True, "no intake in the backup, none to find in the source")
            return
        found = (
            Intake.objects.filter(pk=newest["id"]).values_list("submitted_at", flat=True).first()
        )
        same = found is not None and found.isoformat() == newest["submitted_at"]
        self.verdict(same, f"newest intake {newest['id']} also in the source database")
        now = Intake.objects.count()
        self.stdout.write(f"          (the source has {now} intakes now)")


def _intake(newest: dict[str, Any] | None) -> str:
    return f"id {newest['id']} at {newest['submitted_at']}" if newest else "none"

"""`backup_database` and `restore_check` on PostgreSQL: owner-only dumps, age, rotation, and a
restore check that passes only when the restore is whole and fails, non-zero, on any doubt."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from intake.management import backups
from intake.management.commands.restore_check import Command as RestoreCheck
from intake.models import Intake

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are of PostgreSQL (DATABASE_URL)"
)
# pg_dump sees only committed rows; the migrations' rows come back after each test.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def age_key(tmp_path: Path) -> tuple[str, Path]:
    """(public key, private key file) of a fresh age key pair."""
    if shutil.which("age-keygen") is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but age is not installed (apt-get install age).")
        pytest.skip("age is not installed (apt-get install age)")
    identity = tmp_path / "age-key.txt"
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    public = next(
        line.split(": ")[1]
        for line in identity.read_text().splitlines()
        if line.startswith("# public key: ")
    )
    return public, identity


@pytest.fixture
def scratch() -> str:
    """A scratch database named after the configured one (clinic → clinic_restore_test)."""
    configured = dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://"))["NAME"]
    return f"{configured}_restore_test"


def backup(directory: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("backup_database", "--dir", str(directory), *args, stdout=out)
    return out.getvalue()


def restore_check(*args: str) -> str:
    out = io.StringIO()
    try:
        call_command("restore_check", *args, stdout=out)
    except CommandError as error:
        raise CommandError(f"{error}\n{out.getvalue()}") from error
    return out.getvalue()


def only_dump(directory: Path) -> Path:
    (dump,) = backups.backups(directory, connection.settings_dict["NAME"])
    return dump


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@on_postgres
@transactional
def test_a_backup_is_owner_only_and_its_restore_check_passes(
    tmp_path: Path, make_intake: Callable[..., Intake], scratch: str
) -> None:
    newest = [make_intake(), make_intake(full_name="佐藤 美咲")][-1]
    directory = tmp_path / "backups"

    output = backup(directory)

    dump = only_dump(directory)
    manifest = json.loads(backups.manifest_path(dump).read_text())
    assert oct(directory.stat().st_mode & 0o777) == "0o700"
    assert oct(dump.stat().st_mode & 0o777) == "0o600"
    assert oct(backups.manifest_path(dump).stat().st_mode & 0o777) == "0o600"
    assert dump.read_bytes().startswith(b"PGDMP")
    assert manifest["tables"]["intake_intake"] == 2
    assert manifest["newest_intake"]["id"] == newest.pk
    assert "佐藤" not in backups.manifest_path(dump).read_text()
    assert "NOT encrypted" in output

    report = restore_check("--dir", str(directory), "--scratch", scratch)

    assert "RESTORE CHECK PASSED" in report
    assert "FAILED" not in report
    assert not database_exists(scratch)


@on_postgres
@transactional
def test_an_encrypted_backup_restores_only_with_the_private_key(
    tmp_path: Path, make_intake: Callable[..., Intake], scratch: str, age_key: tuple[str, Path]
) -> None:
    make_intake(full_name="佐藤 美咲")
    public, identity = age_key

    backup(tmp_path, "--recipient", public)

    dump = only_dump(tmp_path)
    assert dump.name.endswith(".dump.age")
    assert b"PGDMP" not in dump.read_bytes()[:64]
    assert "佐藤 美咲".encode() not in dump.read_bytes()
    with pytest.raises(CommandError, match="is encrypted: give the age private key"):
        restore_check("--dir", str(tmp_path), "--scratch", scratch)
    report = restore_check(
        "--dir", str(tmp_path), "--scratch", scratch, "--identity", str(identity)
    )
    assert "RESTORE CHECK PASSED" in report


@on_postgres
@transactional
def test_a_failed_backup_leaves_no_file_and_says_why(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="age exited with 1"):
        backup(tmp_path, "--recipient", "age1notakey")

    assert list(tmp_path.iterdir()) == []


@on_postgres
@transactional
def test_backups_older_than_the_retention_are_deleted_and_no_other(tmp_path: Path) -> None:
    name = connection.settings_dict["NAME"]
    old = timezone.localtime() - datetime.timedelta(days=36)
    recent = timezone.localtime() - datetime.timedelta(days=34)
    files = {
        label: tmp_path / f"{prefix}-{when.strftime(backups.STAMP_FORMAT)}{suffix}"
        for label, prefix, when, suffix in [
            ("old", name, old, ".dump"),
            ("old_manifest", name, old, ".json"),
            ("recent", name, recent, ".dump.age"),
            ("other_database", "another_db", old, ".dump"),
        ]
    }
    unrelated = tmp_path / "notes.txt"
    for path in [*files.values(), unrelated]:
        path.write_text("x")

    output = backup(tmp_path, "--keep-days", "35")

    assert not files["old"].exists() and not files["old_manifest"].exists()
    assert files["recent"].exists() and files["other_database"].exists() and unrelated.exists()
    assert f"Deleted {files['old'].name} (older than 35 days)." in output
    assert len(backups.backups(tmp_path, name)) == 2


@on_postgres
@transactional
def test_the_restore_check_fails_on_a_file_that_is_not_the_one_dumped(
    tmp_path: Path, scratch: str
) -> None:
    backup(tmp_path)
    dump = only_dump(tmp_path)
    dump.write_bytes(dump.read_bytes()[:-100])

    with pytest.raises(CommandError, match="is not the file its manifest describes"):
        restore_check("--dir", str(tmp_path), "--scratch", scratch)
    assert not database_exists(scratch)


@on_postgres
@transactional
def test_a_restore_that_fails_half_way_fails_the_check_and_drops_the_scratch_database(
    tmp_path: Path, make_intake: Callable[..., Intake], scratch: str
) -> None:
    make_intake()
    backup(tmp_path)
    dump = only_dump(tmp_path)
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    manifest = backups.manifest_path(dump)
    recorded = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**recorded, "sha256": backups.sha256(dump)}))

    with pytest.raises(CommandError, match=r"RESTORE CHECK FAILED \(1\): restore: pg_restore"):
        restore_check("--dir", str(tmp_path), "--scratch", scratch)
    assert not database_exists(scratch)


@on_postgres
@transactional
def test_rows_that_differ_from_the_manifest_fail_the_check(
    tmp_path: Path, make_intake: Callable[..., Intake], scratch: str
) -> None:
    make_intake()
    backup(tmp_path)
    manifest = backups.manifest_path(only_dump(tmp_path))
    recorded = json.loads(manifest.read_text())
    recorded["tables"]["intake_intake"] = 2
    manifest.write_text(json.dumps(recorded))

    with pytest.raises(CommandError, match=r"intake_intake 1 ≠ 2") as failure:
        restore_check("--dir", str(tmp_path), "--scratch", scratch)
    assert "RESTORE CHECK PASSED" not in str(failure.value)


@on_postgres
@transactional
def test_an_unapplied_migration_fails_the_check(tmp_path: Path, scratch: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'intake' AND name = %s RETURNING applied",
            ["0005_flag_texts_store_only_overrides"],
        )
        (applied,) = cursor.fetchone()
    try:
        backup(tmp_path)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO django_migrations (app, name, applied) VALUES ('intake', %s, %s)",
                ["0005_flag_texts_store_only_overrides", applied],
            )

    with pytest.raises(CommandError, match="unapplied intake.0005_flag_texts_store_only_overrides"):
        restore_check("--dir", str(tmp_path), "--scratch", scratch)


@on_postgres
@transactional
def test_a_newest_intake_missing_from_the_source_fails_the_check(
    tmp_path: Path, make_intake: Callable[..., Intake], scratch: str
) -> None:
    intake = make_intake()
    backup(tmp_path)
    Intake.objects.filter(pk=intake.pk).delete()

    with pytest.raises(CommandError, match=f"newest intake {intake.pk} also in the source"):
        restore_check("--dir", str(tmp_path), "--scratch", scratch)


@on_postgres
@transactional
def test_a_server_that_refuses_the_connection_fails_loudly(tmp_path: Path, scratch: str) -> None:
    backup(tmp_path)
    host = connection.settings_dict.get("HOST") or "127.0.0.1"
    port = connection.settings_dict.get("PORT") or "5432"

    with pytest.raises(CommandError, match="Cannot connect"):
        restore_check(
            "--dir", str(tmp_path), "--scratch", scratch,
            "--server-url", f"postgres://no_such_role@{host}:{port}/postgres",
        )  # fmt: skip


@on_postgres
@transactional
def test_an_existing_scratch_database_is_never_dropped(tmp_path: Path, scratch: str) -> None:
    backup(tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        with pytest.raises(CommandError, match="exists already"):
            restore_check("--dir", str(tmp_path), "--scratch", scratch)
        assert database_exists(scratch)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


def test_without_a_backup_of_that_day_the_check_says_so(tmp_path: Path) -> None:
    today = timezone.localtime()
    for days_ago in (0, 2):
        stamp = (today - datetime.timedelta(days=days_ago)).strftime(backups.STAMP_FORMAT)
        (tmp_path / f"clinic-{stamp}.dump").write_text("x")
    yesterday = (today - datetime.timedelta(days=1)).date()

    with pytest.raises(CommandError, match=f"No backup of clinic of {yesterday} in"):
        RestoreCheck().choose(None, tmp_path, "clinic", yesterday)
    assert (
        RestoreCheck()
        .choose(None, tmp_path, "clinic", today.date())
        .name.startswith(f"clinic-{today.date()}")
    )


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite case")
def test_a_backup_of_sqlite_is_refused(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        backup(tmp_path)

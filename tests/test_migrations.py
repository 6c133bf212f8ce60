"""intake/migrations: the data they leave, and that they never read the live rules."""

from __future__ import annotations

import ast
import datetime
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps.registry import Apps
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from intake import screening
from intake.models import AccessRecord, ClinicProfile, ConsentDocument, FlagText, Intake, Invitation

MIGRATIONS = Path(__file__).resolve().parent.parent / "intake" / "migrations"
store_only_overrides = importlib.import_module(
    "intake.migrations.0005_flag_texts_store_only_overrides"
)
ruleset_2026_12_1 = importlib.import_module("intake.migrations.0007_ruleset_2026_12_1")
consent_2026_12 = importlib.import_module("intake.migrations.0009_consent_2026_12")
DEFAULTS_2026_11_1 = json.loads(store_only_overrides.DEFAULTS_2026_11_1.read_text(encoding="utf-8"))
TEXT_COLUMNS = [
    f"{field}_{language}" for field in FlagText.TEXT_FIELDS for language in ("ja", "en")
]


def models_of_0005() -> Apps:
    """The models as migration 0005 sees them, not as the code has them today."""
    state = MigrationExecutor(connection).loader.project_state(
        ("intake", "0005_flag_texts_store_only_overrides")
    )
    return state.apps


def texts_as_0003_seeded_them(code: str) -> dict[str, str]:
    texts = DEFAULTS_2026_11_1[code]
    return {
        f"{field}_{language}": (texts[field] or {}).get(language, "")
        for field in FlagText.TEXT_FIELDS
        for language in ("ja", "en")
    }


def written_texts() -> set[tuple[str, str, str]]:
    """(code, column, text) of every text stored that is not blank."""
    return {
        (text.code, name, getattr(text, name))
        for text in FlagText.objects.all()
        for name in TEXT_COLUMNS
        if getattr(text, name)
    }


def test_every_rule_has_a_blank_row_of_flag_texts(db: Any) -> None:
    texts = {text.code: text for text in FlagText.objects.all()}

    assert set(texts) == set(screening.RULES_BY_CODE)
    for text in texts.values():
        assert [getattr(text, name) for name in TEXT_COLUMNS] == [""] * len(TEXT_COLUMNS)


def test_flag_texts_keep_staffs_edits_and_lose_the_copies_of_the_2026_11_1_defaults(
    db: Any,
) -> None:
    apps = models_of_0005()
    OldFlagText = apps.get_model("intake", "FlagText")
    for code in DEFAULTS_2026_11_1:
        OldFlagText.objects.filter(code=code).update(**texts_as_0003_seeded_them(code))
    OldFlagText.objects.filter(code="KELOID").update(title_en="Keloid (clinic wording)")
    dry_skin_note = DEFAULTS_2026_11_1["DRY_SKIN"]["patient_note"]["ja"]
    OldFlagText.objects.filter(code="DRY_SKIN").update(patient_note_ja=f" {dry_skin_note}\n")
    OldFlagText.objects.filter(code="UNDER_18").delete()

    store_only_overrides.keep_only_overrides(apps, None)

    assert written_texts() == {("KELOID", "title_en", "Keloid (clinic wording)")}
    assert FlagText.objects.filter(code="UNDER_18").exists()
    assert FlagText.objects.filter(code__in=list(DEFAULTS_2026_11_1)).count() == len(
        DEFAULTS_2026_11_1
    )


def test_flag_texts_of_a_code_the_2026_11_1_rules_did_not_have_are_left_alone(db: Any) -> None:
    apps = models_of_0005()
    OldFlagText = apps.get_model("intake", "FlagText")
    OldFlagText.objects.create(
        code="RETIRED_RULE", title="古い", title_ja="古い", title_en="Old", clinician_note="メモ"
    )

    store_only_overrides.keep_only_overrides(apps, None)

    assert ("RETIRED_RULE", "title_en", "Old") in written_texts()


def test_the_flag_texts_migration_runs_again_without_changing_anything(db: Any) -> None:
    apps = models_of_0005()
    FlagText.objects.filter(code="KELOID").update(title_ja="院内表記", title_en="Ours")

    store_only_overrides.keep_only_overrides(apps, None)
    store_only_overrides.keep_only_overrides(apps, None)

    assert written_texts() == {("KELOID", "title_ja", "院内表記"), ("KELOID", "title_en", "Ours")}


def models_of(migration: str) -> Apps:
    return MigrationExecutor(connection).loader.project_state(("intake", migration)).apps


def test_the_rule_set_2026_12_1_adds_a_blank_row_for_record_mismatch(db: Any) -> None:
    apps = models_of("0007_ruleset_2026_12_1")
    FlagText.objects.filter(code="RECORD_MISMATCH").delete()

    ruleset_2026_12_1.add_blank_rows(apps, None)

    row = FlagText.objects.get(code="RECORD_MISMATCH")
    assert [getattr(row, name) for name in TEXT_COLUMNS] == [""] * len(TEXT_COLUMNS)
    assert set(ruleset_2026_12_1.NEW_CODES) <= set(screening.RULES_BY_CODE)


def test_the_rule_set_2026_12_1_migration_keeps_staffs_texts_both_ways(db: Any) -> None:
    apps = models_of("0007_ruleset_2026_12_1")
    FlagText.objects.filter(code="RECORD_MISMATCH").update(
        title_ja="記録と相違", title_en="Differs"
    )

    ruleset_2026_12_1.add_blank_rows(apps, None)
    ruleset_2026_12_1.remove_blank_rows(apps, None)

    assert ("RECORD_MISMATCH", "title_en", "Differs") in written_texts()


def test_undoing_the_rule_set_2026_12_1_migration_removes_its_blank_row(db: Any) -> None:
    apps = models_of("0007_ruleset_2026_12_1")
    FlagText.objects.filter(code="RECORD_MISMATCH").update(title_ja=None, title_en="")

    ruleset_2026_12_1.remove_blank_rows(apps, None)

    assert not FlagText.objects.filter(code="RECORD_MISMATCH").exists()
    assert FlagText.objects.filter(code="KELOID").exists()


# The consent 2026-12 (spec §6) ------------------------------------------------------------------
def consent_2026_12_row() -> ConsentDocument:
    return ConsentDocument.objects.get(version="2026-12")


def test_the_consent_2026_12_is_published_from_december_beside_the_version_intakes_agreed_to(
    db: Any,
) -> None:
    document = consent_2026_12_row()

    assert document.published
    assert document.effective_date == datetime.date(2026, 12, 1)
    assert ConsentDocument.objects.get(version="2026-11").published  # kept as it was
    for part in ConsentDocument.REQUIRED_PARTS:
        for language in ("ja", "en"):
            assert getattr(document, f"{part}_{language}").strip(), (part, language)
    assert document.contact_phone == ""  # the clinic profile's phone, whatever it is


def test_the_consent_2026_12_covers_what_spec_6_asks_in_both_languages(db: Any) -> None:
    document = consent_2026_12_row()
    body = {"ja": document.body_ja, "en": document.body_en}
    # Only the health answers are sensitive; the name and contact details are not.
    assert "健康状態・お薬・妊娠・これまでの施術についての回答は" in body["ja"]
    assert "「要配慮個人情報」" in body["ja"] and "氏名・連絡先" not in body["ja"]
    assert "special care-required personal information" in body["en"]
    for words in ("委託先", "日本国内", "第三者", "命や身体を守る", "開示", "訂正", "利用停止"):
        assert words in body["ja"], words
    assert "この同意を取り消す" in body["ja"] and "改めてお聞きします" in body["ja"]
    for words in ("Contractors", "in Japan", "Third parties", "withdraw this consent"):
        assert words in body["en"], words
    # The purposes one by one (spec §6).
    purposes = document.purposes_ja.splitlines()
    assert len(purposes) == len(document.purposes_en.splitlines()) == 5
    for purpose, words in zip(
        purposes,
        ("診察の前に、医師が", "自動的に点検", "カルテ", "以前の回答と比べ", "ご連絡"),
        strict=True,
    ):
        assert words in purpose
    assert "{period}" in document.retention_ja and "{period}" in document.retention_en
    assert "個人情報保護管理者" in document.contact_person_ja
    off_label = document.off_label_ja
    for fact in (
        "適応外使用",
        "ボトックスビスタ",
        "65歳未満",
        "眉間と目尻",
        "ナボタ・ボツラックス・コアトックス",
        "未承認医薬品",
        "個人輸入",
        "医薬品副作用被害救済制度",
        "個人差",
        "自由診療",
        "お断りいただくこともできます",
        "施術への同意ではありません",
    ):
        assert fact in off_label, fact
    for fact in ("off-label use", "Botox Vista", "unapproved", "Relief System", "decline"):
        assert fact in document.off_label_en, fact


def test_the_consent_2026_12_passes_the_admins_check_for_a_new_version(
    superuser_client: Client,
) -> None:
    ClinicProfile.objects.create(
        name_ja="梅田", name_en="Umeda", address_ja="大阪", address_en="Osaka", phone="06-1"
    )
    document = consent_2026_12_row()
    copy = {
        f"{field}_{language}": getattr(document, f"{field}_{language}")
        for field in ("title", "body", *ConsentDocument.REQUIRED_PARTS)
        for language in ("ja", "en")
    }

    response = superuser_client.post(
        reverse("admin:intake_consentdocument_add"),
        {
            **copy,
            "version": "2027-01",
            "contact_phone": "",
            "effective_date": "2027-01-01",
            "published": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ConsentDocument.objects.get(version="2027-01").published


def test_the_consent_migration_runs_again_without_a_second_copy(db: Any) -> None:
    consent_2026_12.publish_2026_12(models_of("0009_consent_2026_12"), None)

    assert ConsentDocument.objects.filter(title_ja=consent_2026_12.TITLE_JA).count() == 1


def test_undoing_the_consent_migration_keeps_the_version_an_intake_agreed_to(
    db: Any, make_intake: Callable[..., Intake]
) -> None:
    apps = models_of("0009_consent_2026_12")
    consent_2026_12.unpublish_2026_12(apps, None)
    assert not ConsentDocument.objects.filter(version="2026-12").exists()

    consent_2026_12.publish_2026_12(apps, None)
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(consent_document=consent_2026_12_row())
    consent_2026_12.unpublish_2026_12(apps, None)

    assert consent_2026_12_row() == Intake.objects.get(pk=intake.pk).consent_document


def test_the_consent_migration_takes_the_next_free_version_name(db: Any) -> None:
    apps = models_of("0009_consent_2026_12")
    consent_2026_12.unpublish_2026_12(apps, None)
    ConsentDocument.objects.create(
        version="2026-12",
        title_ja="院内の下書き",
        title_en="The clinic's draft",
        body_ja="本文",
        body_en="Body",
        effective_date=datetime.date(2026, 12, 5),
    )

    consent_2026_12.publish_2026_12(apps, None)

    shipped = ConsentDocument.objects.get(title_ja=consent_2026_12.TITLE_JA)
    assert shipped.version == "2026-12-2" and shipped.published


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", sorted(MIGRATIONS.glob("0*.py")), ids=lambda path: path.stem)
def test_no_migration_reads_the_live_rules(path: Path) -> None:
    """The rules' texts change with each rule set; a migration must mean what it meant."""
    assert not {m for m in imported_modules(path) if m.startswith("intake.screening")}


# 0006: access records keep their reader's name; the admin's log forgets deleted patients -------
audit_history = importlib.import_module("intake.migrations.0006_audit_history")


def models_of_0006() -> Apps:
    return MigrationExecutor(connection).loader.project_state(("intake", "0006_audit_history")).apps


def test_existing_access_records_get_their_readers_username(
    doctor: User, make_intake: Callable[..., Intake]
) -> None:
    apps = models_of_0006()
    OldAccessRecord = apps.get_model("intake", "AccessRecord")
    intake = make_intake()
    OldAccessRecord.objects.create(intake_id=intake.pk, user_id=doctor.pk, action="detail")
    OldAccessRecord.objects.create(intake_id=intake.pk, user_id=None, action="detail")

    audit_history.fill_usernames(apps, None)

    assert sorted(AccessRecord.objects.values_list("username", flat=True)) == ["", "dr_sato"]


def test_the_admin_log_loses_the_names_of_invitations_and_the_text_of_deleted_intakes(
    superuser: User, make_intake: Callable[..., Intake], today: datetime.date
) -> None:
    def logged(obj: Any, flag: int, text: str) -> LogEntry:
        entry = LogEntry.objects.log_actions(
            user_id=superuser.pk, queryset=[obj], action_flag=flag, single_object=True
        )
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=text, change_message="[]")
        return entry

    invitation = Invitation.objects.create(
        token="t" * 43, full_name="残る 招待子", visit_date=today, phone="0900000000"
    )
    deleted_invitation = Invitation.objects.create(
        token="u" * 43, full_name="消えた 招待子", visit_date=today, phone="0900000001"
    )
    intake, deleted_intake = make_intake(), make_intake()
    entries = {
        "invitation": logged(invitation, ADDITION, f"残る 招待子 · {today}"),
        "deleted invitation": logged(deleted_invitation, ADDITION, f"消えた 招待子 · {today}"),
        "intake": logged(intake, DELETION, intake.reference),
        "deleted intake": logged(deleted_intake, DELETION, deleted_intake.reference),
    }
    deleted_invitation.delete()
    Intake.objects.filter(pk=deleted_intake.pk).delete()  # as the admin did, before 0006

    audit_history.anonymise_admin_log(models_of_0006(), None)

    texts = {
        name: LogEntry.objects.values_list("object_id", "object_repr").get(pk=entry.pk)
        for name, entry in entries.items()
    }
    assert texts == {
        "invitation": (str(invitation.pk), f"#{invitation.pk} · {today}"),
        "deleted invitation": (None, "—"),
        "intake": (str(intake.pk), intake.reference),
        "deleted intake": (None, "—"),
    }


# 0009: patients across visits; the current result beside the original ---------------------------
patients_and_treatments = importlib.import_module("intake.migrations.0010_patients_and_treatments")


def test_intakes_get_their_current_result_from_their_latest_re_screening(
    make_intake: Callable[..., Intake],
) -> None:
    from intake.models import Rescreening

    rescreened, untouched = make_intake(keloid_history=True), make_intake(pregnancy="pregnant")
    for verdict in ("suitable", "not_suitable"):  # the second is the latest
        Rescreening.objects.create(
            intake=rescreened,
            ruleset_version="2026.12-1",
            reference_date=rescreened.reference_date,
            verdict=verdict,
            suitability="poor",
            result={"flags": [{"code": "KELOID", "severity": "contraindication"}]},
        )
    # As the rows were before the migration filled them.
    Intake.objects.update(current_verdict="", current_verdict_rank=9, current_suitability="")

    patients_and_treatments.fill_current_results(models_of("0010_patients_and_treatments"), None)

    rescreened.refresh_from_db()
    untouched.refresh_from_db()
    latest = rescreened.rescreenings.order_by("-created_at", "-pk").first()
    assert (rescreened.current_rescreening, rescreened.current_verdict) == (latest, "not_suitable")
    assert (rescreened.current_verdict_rank, rescreened.current_suitability) == (0, "poor")
    assert rescreened.verdict == "needs_review"  # the original stays
    assert latest.flag_codes == " KELOID "
    assert (untouched.current_verdict, untouched.current_verdict_rank) == ("not_suitable", 0)
    assert untouched.current_rescreening is None


def test_the_groups_get_the_patient_records_permissions(doctor: User, receptionist: User) -> None:
    for codename in ("view_patient", "add_patient", "link_intake", "set_appointment"):
        assert doctor.has_perm(f"intake.{codename}")
        assert receptionist.has_perm(f"intake.{codename}")
    for codename in ("view_treatment", "add_treatment", "view_patientlink"):
        assert doctor.has_perm(f"intake.{codename}")
        assert not receptionist.has_perm(f"intake.{codename}")
    for codename in ("change_treatment", "delete_treatment", "delete_patient"):
        assert not doctor.has_perm(f"intake.{codename}")


# 0016: the admin lists' indexes, and PostgreSQL's trigram indexes of the searches -----------------
# Serialised: the data migrations' rows (groups, texts) are there again for the tests after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_search_and_list_indexes_migration_applies_and_reverses() -> None:
    before, after = (
        ("intake", "0015_resume_links"),
        ("intake", "0016_admin_lists_and_search_indexes"),
    )

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            return set(connection.introspection.get_constraints(cursor, "intake_intake"))

    MigrationExecutor(connection).migrate([before])
    undone = indexes()
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    done = indexes()

    assert "intake_admin_idx" in done and "intake_admin_idx" not in undone
    assert "intake_visit_date_idx" in undone and "intake_visit_date_idx" not in done
    trigram = {"intake_name_trgm", "intake_name_compact_trgm", "intake_phone_trgm"}
    if connection.vendor == "postgresql":
        assert trigram <= done and not trigram & undone
    else:
        assert not trigram & done


# 0017: PostgreSQL's bigram words of the names, for words of one or two characters -----------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_short_word_search_migration_applies_and_reverses() -> None:
    before, after = (
        ("intake", "0016_admin_lists_and_search_indexes"),
        ("intake", "0017_short_word_search_indexes"),
    )
    bigram = {
        ("intake_intake", "intake_name_bigram_trgm"),
        ("intake_intake", "intake_kana_bigram_trgm"),
        ("intake_patient", "patient_name_bigram_trgm"),
        ("intake_patient", "patient_kana_bigram_trgm"),
    }

    def indexes() -> set[tuple[str, str]]:
        with connection.cursor() as cursor:
            return {
                (table, name)
                for table in ("intake_intake", "intake_patient")
                for name in connection.introspection.get_constraints(cursor, table)
            }

    def has_function() -> bool:
        if connection.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regproc('intake_bigram_words')")
            return cursor.fetchone()[0] is not None

    MigrationExecutor(connection).migrate([before])
    undone = indexes(), has_function()
    MigrationExecutor(connection).migrate([after])
    done = indexes(), has_function()

    if connection.vendor == "postgresql":
        assert bigram <= done[0] and done[1]
    else:
        assert not bigram & done[0] and not done[1]
    assert not bigram & undone[0] and not undone[1]

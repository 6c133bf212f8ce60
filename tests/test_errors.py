"""The error pages: in the visitor's language, styled like the app, with a way back, never Django's
technical text, and the 500 page even with the database down.

pytest runs with DEBUG off, as production does: that is when the handlers apply.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError
from django.template import TemplateDoesNotExist
from django.test import Client, RequestFactory

from intake import errors
from tests.helpers import PASSWORD, ROOT, clean_environment, step_url
from tests.test_security import assert_pages_are_self_contained
from tests.wizard_http import SESSION_KEY, STEP_NAMES, step_post_data

HEADINGS = {
    400: {"en": "The page could not be shown", "ja": "ページを表示できませんでした"},
    403: {"en": "No access", "ja": "アクセス権がありません"},
    "csrf": {"en": "This page has expired", "ja": "このページの有効期限が切れました"},
    404: {"en": "Page not found", "ja": "ページが見つかりません"},
    410: {"en": "No longer available", "ja": "ご利用いただけなくなりました"},
    429: {"en": "Too many attempts", "ja": "操作の回数が多すぎます"},
    500: {"en": "Something went wrong", "ja": "エラーが発生しました"},
}
TECHNICAL = ("debug", "django", "traceback")


def questionnaire(language: str) -> str:
    return f"/{language}/intake/"


def queue(language: str) -> str:
    return f"/{language}/review/"


def assert_error_page(
    response: Any, *, status: int, heading: str | int, language: str, way_back: str
) -> str:
    """The page in `language`, its way back, the site's headers, nothing technical."""
    page = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert HEADINGS[heading][language] in page
    assert f'href="{way_back}"' in page
    assert [word for word in TECHNICAL if word in page.lower()] == []
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Content-Language"] == language
    assert_pages_are_self_contained({response.request["PATH_INFO"]: page})
    return page


# 404: the language of prefixed and unprefixed addresses ---------------------------------------
@pytest.mark.parametrize(
    ("path", "cookie", "accept", "language"),
    [
        ("/ja/nothing-here/", None, None, "ja"),
        ("/en/nothing-here/", None, None, "en"),
        ("/ja/nothing-here/", "en", "en", "ja"),  # the prefix first
        ("/en/nothing/deeper/", "ja", "ja", "en"),
        ("/nothing-here", "en", None, "en"),  # then the cookie
        ("/nothing-here", "ja", "en", "ja"),
        ("/static/x", None, "en-US,en;q=0.9", "en"),  # then the browser's language
        ("/nothing-here", None, "ja,en;q=0.5", "ja"),
        ("/nothing-here", None, "fr", "ja"),  # else Japanese
        ("/static/x", None, None, "ja"),
    ],
)
def test_a_missing_page_speaks_the_visitors_language(
    db: Any, path: str, cookie: str | None, accept: str | None, language: str
) -> None:
    client = Client()
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    headers = {"accept-language": accept} if accept else {}

    response = client.get(path, headers=headers)

    assert_error_page(
        response, status=404, heading=404, language=language, way_back=questionnaire(language)
    )


@pytest.mark.parametrize(("language", "other"), [("ja", "en"), ("en", "ja")])
def test_a_missing_page_links_to_itself_in_the_other_language(language: str, other: str) -> None:
    page = Client().get(f"/{language}/nothing-here/").content.decode()

    assert f'href="/{other}/nothing-here/" lang="{other}" hreflang="{other}"' in page


def test_an_unprefixed_missing_page_has_no_language_link_to_get_wrong() -> None:
    page = Client().get("/nothing-here").content.decode()

    assert "hreflang" not in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_missing_staff_page_leads_back_to_the_queue(doctor_client: Client, language: str) -> None:
    response = doctor_client.get(f"/{language}/review/ZZZZ-ZZZZ/")

    assert_error_page(
        response, status=404, heading=404, language=language, way_back=queue(language)
    )


# 400 ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_form_naming_a_step_that_does_not_exist_gets_a_readable_400(
    patient_client: Client, language: str
) -> None:
    response = patient_client.post(
        step_url("about_you", language), {"intake_wizard-current_step": "no-such-step"}
    )

    assert_error_page(
        response, status=400, heading=400, language=language, way_back=questionnaire(language)
    )


@pytest.mark.parametrize(("accept", "language"), [("en", "en"), ("ja", "ja")])
def test_a_request_for_another_host_gets_a_readable_400(
    db: Any, accept: str, language: str
) -> None:
    response = Client().get("/", headers={"host": "evil.example", "accept-language": accept})

    page = assert_error_page(
        response, status=400, heading=400, language=language, way_back=questionnaire(language)
    )
    assert "evil.example" not in page


# 403 ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_staff_page_refused_to_a_doctor_leads_back_to_the_queue(
    doctor_client: Client, language: str
) -> None:
    response = doctor_client.get(f"/{language}/reception/")

    assert_error_page(
        response, status=403, heading=403, language=language, way_back=queue(language)
    )


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_signed_in_user_without_a_role_is_told_to_ask_the_administrator(
    staff_without_group: User, language: str
) -> None:
    client = Client()
    client.force_login(staff_without_group)

    response = client.get(queue(language))

    page = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in page
    assert HEADINGS[403][language] in page
    assert {"en": "please ask the clinic's administrator", "ja": "管理者"}[language] in page
    assert "no-store" in response["Cache-Control"]
    assert [word for word in TECHNICAL if word in page.lower()] == []


# CSRF failure -------------------------------------------------------------------------------------
def expired_form_client(client: Client) -> Client:
    """The same browser (its cookies), whose form's CSRF token is now refused."""
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    return strict


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_expired_intake_page_says_so_and_the_answers_already_given_are_kept(
    db: Any, valid_answers: dict[str, Any], language: str
) -> None:
    client = Client()
    client.get(questionnaire(language))
    client.post(step_url("about_you", language), step_post_data("about_you", valid_answers))

    response = expired_form_client(client).post(
        step_url(STEP_NAMES[1], language), step_post_data(STEP_NAMES[1], valid_answers)
    )

    page = assert_error_page(
        response, status=403, heading="csrf", language=language, way_back=questionnaire(language)
    )
    assert {"en": "normally kept", "ja": "通常そのまま残っています"}[language] in page
    back = client.get(questionnaire(language), follow=True)
    assert back.status_code == 200
    assert back.redirect_chain[-1][0] == step_url(STEP_NAMES[1], language)
    assert client.session[SESSION_KEY]["step_data"]["about_you"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_an_expired_sign_in_page_says_so_and_leads_back_to_the_queue(
    doctor: User, language: str
) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/{language}/accounts/login/", {"username": doctor.username, "password": PASSWORD}
    )

    page = assert_error_page(
        response, status=403, heading="csrf", language=language, way_back=queue(language)
    )
    assert {"en": "reload the page", "ja": "再読み込み"}[language] in page
    assert "hreflang" not in page  # a POST: the other language would be another request


@pytest.mark.parametrize(("accept", "language"), [("en", "en"), ("ja", "ja")])
def test_an_expired_language_switch_speaks_the_browsers_language(
    db: Any, accept: str, language: str
) -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/i18n/setlang/", {"language": "en"}, headers={"accept-language": accept}
    )

    assert_error_page(
        response, status=403, heading="csrf", language=language, way_back=questionnaire(language)
    )


# 410 and 429, for a view that answers them itself ---------------------------------------------
@pytest.mark.parametrize("status", [410, 429])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_generic_410_and_429_pages_speak_the_addresss_language(
    status: int, language: str
) -> None:
    request = RequestFactory().get(f"/{language}/intake/")

    response = errors.error_response(request, status=status)

    page = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in page
    assert HEADINGS[status][language] in page
    assert f'href="{questionnaire(language)}"' in page
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_sign_in_lockout_page_leads_back_to_the_sign_in_page(
    doctor: User, settings: Any, language: str
) -> None:
    settings.AXES_FAILURE_LIMIT = 1
    login = f"/{language}/accounts/login/"

    response = Client().post(login, {"username": doctor.username, "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 429
    assert f'<html lang="{language}">' in page
    assert f'href="{login}"' in page
    assert [word for word in TECHNICAL if word in page.lower()] == []


# 500 ----------------------------------------------------------------------------------------------
SECRET = "ValueError: the hidden detail"


@pytest.fixture
def broken_consent(monkeypatch: pytest.MonkeyPatch) -> None:
    """The consent page fails inside the view."""

    def fail(**kwargs: Any) -> None:
        raise ValueError(SECRET)

    monkeypatch.setattr("intake.selectors.current_consent_document", fail)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_failing_page_answers_a_readable_500_without_the_error(
    patient_client: Client, broken_consent: None, language: str
) -> None:
    patient_client.raise_request_exception = False

    response = patient_client.get(step_url("consent", language))

    page = assert_error_page(
        response, status=500, heading=500, language=language, way_back=questionnaire(language)
    )
    assert "hidden detail" not in page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_session_that_cannot_be_saved_on_the_way_out_still_gets_the_500_page_and_its_headers(
    db: Any, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """SessionMiddleware saves after CSPMiddleware and X-Frame-Options have run: their headers
    must come from the page itself."""

    def fail(self: SessionStore, must_create: bool = False) -> None:
        raise DatabaseError("database is down")

    monkeypatch.setattr(SessionStore, "save", fail)
    client = Client(raise_request_exception=False)

    response = client.get(questionnaire(language))

    page = assert_error_page(
        response, status=500, heading=500, language=language, way_back=questionnaire(language)
    )
    assert "database is down" not in page
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_the_500_handler_still_answers_in_both_languages_when_its_page_cannot_be_built(
    patient_client: Client, broken_consent: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*args: Any, **kwargs: Any) -> str:
        raise TemplateDoesNotExist("500.html")

    monkeypatch.setattr(errors, "render_to_string", missing)
    patient_client.raise_request_exception = False

    response = patient_client.get(step_url("consent", "en"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in page
    assert "Something went wrong" in page
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"]


# 500 with the database really down, in a process of its own ------------------------------------
DATABASE_DOWN_SCRIPT = """
import json
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
results = {}
for name, path, session in [
    ("new patient", "/ja/intake/", False),
    ("patient part-way", "/en/intake/about_you/", True),
    ("doctor", "/ja/review/", True),
    ("health check", "/healthz", False),
]:
    client = Client(raise_request_exception=False)
    if session:
        client.cookies["sessionid"] = "abcdefghijklmnopqrstuvwxyz012345"
    response = client.get(path)
    results[name] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "body": response.content.decode(),
    }
print(json.dumps(results))
"""


def unreachable_databases(tmp: Path) -> dict[str, str]:
    return {
        # A directory that does not exist: SQLite cannot open (or create) the file.
        "sqlite": f"sqlite:///{tmp / 'no-such-directory' / 'db.sqlite3'}",
        # Port 1 on this machine: nothing listens, the connection is refused at once.
        "postgresql": "postgres://postgres@127.0.0.1:1/clinic",
    }


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_with_the_database_down_pages_answer_the_readable_500_and_healthz_503(
    tmp_path: Path, database: str
) -> None:
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DATABASE_URL=unreachable_databases(tmp_path)[database],
    )
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(result.stdout)

    for name, language, way_back in [
        ("new patient", "ja", questionnaire("ja")),
        ("patient part-way", "en", questionnaire("en")),
        ("doctor", "ja", queue("ja")),
    ]:
        answer = results[name]
        page = answer["body"]
        assert answer["status"] == 500, name
        assert f'<html lang="{language}">' in page, name
        assert HEADINGS[500][language] in page, name
        assert f'href="{way_back}"' in page, name
        assert [word for word in TECHNICAL if word in page.lower()] == [], name
        assert "OperationalError" not in page and "127.0.0.1" not in page, name
        assert "no-store" in answer["headers"]["Cache-Control"], name
        assert answer["headers"]["X-Frame-Options"] == "DENY", name
        assert "script-src 'self'" in answer["headers"]["Content-Security-Policy"], name
    health = results["health check"]
    assert health["status"] == 503
    assert health["headers"]["Content-Type"] == "application/json"
    assert json.loads(health["body"]) == {"status": "error", "database": "unavailable"}

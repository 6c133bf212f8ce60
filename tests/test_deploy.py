"""Production settings: `check --deploy` clean, required settings required, no answers in logs."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT


def production_env(**overrides: str | None) -> dict[str, str]:
    """The environment of a production server, minus anything a developer's shell may carry."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "AXES_", "INTAKE_", "DATABASE_URL", "EMAIL_", "CLINIC_SITE_URL")
        )
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "clinic.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "intake.clinic.example.jp",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_prints_no_warning_with_the_production_environment() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_also_passes_behind_a_proxy_that_terminates_tls() -> None:
    env = production_env(DJANGO_BEHIND_PROXY="1")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_a_required_setting(missing: str) -> None:
    result = manage("check", env=production_env(**{missing: None}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} is required when DJANGO_ENV=production" in result.stderr


def test_production_turns_on_https_only_settings_and_hashed_static_files() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


@pytest.mark.parametrize("environment", ["production", "development"])
def test_the_language_cookie_is_https_only_in_production_wherever_it_is_set(
    environment: str,
) -> None:
    """The app's own helper (the wizard's language switch, the invitation link) and Django's
    set_language view, under the real settings module."""
    code = (
        "import django; django.setup(); from django.http import HttpResponse; "
        "from django.test import Client; from intake.views import set_language_cookie; "
        "print(set_language_cookie(HttpResponse(), 'en').cookies['django_language'].output()); "
        "client = Client(HTTP_HOST='intake.clinic.example.jp'); "
        "print(client.post('/i18n/setlang/', {'language': 'en'}, secure=True)"
        ".cookies['django_language'].output())"
    )
    env = production_env() if environment == "production" else production_env(DJANGO_ENV=None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout + result.stderr
    for line in lines:
        attributes = [part.strip().lower() for part in line.split(";")]
        assert attributes[0] == "set-cookie: django_language=en"
        assert "httponly" in attributes
        assert "samesite=lax" in attributes
        assert "max-age=31536000" in attributes
        assert ("secure" in attributes) is (environment == "production")


def test_an_error_log_line_names_the_path_but_carries_none_of_the_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from django.conf import settings
    from django.http import HttpResponseServerError
    from django.test import RequestFactory
    from django.utils.log import AdminEmailHandler, log_response

    request = RequestFactory().post(
        "/ja/intake/health/?step=5", {"health-allergy_details": "ペニシリンで発疹"}
    )
    with caplog.at_level(logging.ERROR, logger="django.request"):
        log_response(
            "Internal Server Error: %s",
            request.path,
            response=HttpResponseServerError(),
            request=request,
        )
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    lines = "\n".join(formatter.format(record) for record in caplog.records)

    assert "/ja/intake/health/" in lines
    assert "ペニシリン" not in lines
    assert "step=5" not in lines
    handlers = logging.getLogger("django").handlers + logging.getLogger("django.request").handlers
    assert not any(isinstance(handler, AdminEmailHandler) for handler in handlers)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Static files collected as a production deploy does (the error pages link the CSS)."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=production_env(DJANGO_STATIC_ROOT=str(root)),
        check=True,
        timeout=120,
    )
    return root


@pytest.mark.parametrize("url", ["/en/intake/", "/ja/invite/abc%00def/"])
def test_a_bad_host_header_or_a_nul_in_a_url_is_a_400_that_prints_nothing_on_stderr(
    url: str, collected_static: Path
) -> None:
    """Routine internet noise: gunicorn's access log records the 400, and that is all.

    In a process of its own: under pytest, its log capture would stand in for Python's last
    resort handler, which prints a traceback on stderr when a logger has no handler.
    """
    code = (
        "import django; django.setup(); from django.test import Client; "
        f"print(Client().get({url!r}, HTTP_HOST='evil.example', secure=True).status_code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(
            DJANGO_STATIC_ROOT=str(collected_static),
            DJANGO_ALLOWED_HOSTS="evil.example" if "%00" in url else "intake.clinic.example.jp",
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == "400", result.stderr
    assert result.stderr == ""

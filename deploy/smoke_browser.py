"""The browser half of deploy/smoke-test: Chromium over HTTPS through nginx.

A patient fills the intake in Japanese; after the second step the first app server is stopped
(SIGTERM to its gunicorn), and the patient finishes on the other one without noticing: no page
answers 5xx and nothing entered is lost. Then a doctor signs in, searches the queue for the
patient's name and opens the intake. Prints the reference code on its last line.

Environment: SMOKE_BASE_URL (https://localhost:PORT), SMOKE_STOP_PID (the gunicorn to stop),
SMOKE_DOCTOR_USERNAME, SMOKE_DOCTOR_PASSWORD. Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import sys
import time
from typing import Any

from playwright.sync_api import expect, sync_playwright

BASE = os.environ["SMOKE_BASE_URL"].rstrip("/")
PATIENT = "山田 花子"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def days(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def choose(page: Any, step: str, key: str, *values: str) -> None:
    for value in values:
        page.locator(f'[name="{step}-{key}"][value="{value}"]').check()


def next_step(page: Any, step: str) -> None:
    page.locator("#wizard-form .wizard-buttons .btn-primary").click()
    expect(page).to_have_url(re.compile(rf"/ja/intake/{step}/(\?.*)?$"))


def stop_first_app_server() -> None:
    pid = int(os.environ["SMOKE_STOP_PID"])
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print(f"app server 1 (gunicorn {pid}) stopped mid-intake", flush=True)
            return
        time.sleep(0.1)
    sys.exit(f"gunicorn {pid} did not stop within 20 s")


def patient(browser: Any) -> str:
    context = browser.new_context(ignore_https_errors=True, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
    page.goto(f"{BASE}/ja/intake/")
    expect(page).to_have_url(re.compile(r"/ja/intake/about_you/$"))
    page.locator('[name="about_you-full_name"]').fill(PATIENT)
    page.locator('[name="about_you-full_name_kana"]').fill("ヤマダ ハナコ")
    page.locator('[name="about_you-date_of_birth"]').fill("1995-04-10")
    choose(page, "about_you", "sex", "female")
    page.locator('[name="about_you-phone"]').fill("06-6375-0000")
    page.locator('[name="about_you-visit_date"]').fill(days(7))
    next_step(page, "skin")
    choose(page, "skin", "skin_type", "oily")
    choose(page, "skin", "phototype", "III")
    choose(page, "skin", "concerns", "oiliness", "enlarged_pores")
    choose(page, "skin", "acne_lesion_count", "1_5")
    choose(page, "skin", "keloid_history", "false")
    next_step(page, "retinoids")

    stop_first_app_server()

    choose(page, "retinoids", "isotretinoin", "never")
    next_step(page, "treatments")
    choose(page, "treatments", "botulinum_before", "false")
    next_step(page, "health")
    choose(page, "health", "pregnancy", "not_pregnant")
    choose(page, "health", "breastfeeding", "false")
    choose(page, "health", "planning_pregnancy", "false")
    next_step(page, "consent")
    for key in ("consent_privacy", "consent_off_label", "confirm_accurate"):
        page.locator(f'[name="consent-{key}"]').check()
    next_step(page, "review")
    expect(page.locator("body")).to_contain_text(PATIENT)  # the first steps' answers survived
    page.get_by_role("button", name="回答を送信する").click()
    expect(page).to_have_url(re.compile(r"/ja/intake/submitted/[^/]+/$"))
    reference = page.locator("#reference-code").inner_text().strip()
    if errors:
        sys.exit(f"the patient saw server errors: {errors}")
    context.close()
    print(f"patient sent intake {reference} over HTTPS", flush=True)
    return reference


def doctor(browser: Any, reference: str) -> None:
    context = browser.new_context(ignore_https_errors=True, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{BASE}/ja/review/")
    expect(page).to_have_url(re.compile(r"/ja/accounts/login/\?next=/ja/review/$"))
    page.get_by_label("ユーザー名").fill(os.environ["SMOKE_DOCTOR_USERNAME"])
    page.get_by_label("パスワード").fill(os.environ["SMOKE_DOCTOR_PASSWORD"])
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(re.compile(r"/ja/review/$"))
    # A search by name: its query string must reach no proxy log (deploy/smoke-test checks).
    page.goto(f"{BASE}/ja/review/?q=山田")
    page.get_by_role("link", name=reference).first.click()
    expect(page).to_have_url(re.compile(rf"/ja/review/{re.escape(reference)}/$"))
    expect(page.locator("body")).to_contain_text(PATIENT)
    context.close()
    print(f"doctor signed in over HTTPS, found {reference} by name and opened it", flush=True)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            reference = patient(browser)
            doctor(browser, reference)
        finally:
            browser.close()
    print(reference)


if __name__ == "__main__":
    main()

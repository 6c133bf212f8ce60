"""The doctors' review workspace in a real browser (Chromium, Japanese).

A doctor signs in, filters the queue to needs_review, opens an intake, acknowledges its flags,
defers it with a note and sees the history; a receptionist cannot open an intake (the 403 page);
an anonymous visitor is sent to the login page. axe-core checks each page the doctor sees.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from intake import answers, selectors, services
from intake.models import Decision, Intake
from tests.browser.helpers import (
    LINES_OF,
    MOBILE,
    assert_no_browser_problems,
    axe_check,
    signed_in,
)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def ja(name: str, **kwargs: str) -> str:
    with translation.override("ja"):
        return reverse(name, kwargs=kwargs or None)


def submit(**overrides: Any) -> Intake:
    today = timezone.localdate()
    return services.intake_submit(
        answers_given={**answers.example_answers(today), **overrides},
        language="ja",
        consent_document=selectors.current_consent_document(),
        submission_token=uuid.uuid4(),
    )


@pytest.fixture
def intakes(transactional_db: Any) -> dict[str, Intake]:
    visit = timezone.localdate() + datetime.timedelta(days=7)
    return {
        "needs_review": submit(
            full_name="佐藤 美咲",
            full_name_kana="サトウ ミサキ",
            visit_date=visit,
            keloid_history=True,
            other_conditions=["glaucoma"],
        ),
        "not_suitable": submit(
            full_name="高橋 由美", full_name_kana="タカハシ ユミ", pregnancy="pregnant"
        ),
        "suitable": submit(full_name="伊藤 彩", full_name_kana="イトウ アヤ"),
    }


def sign_in(page: Any, user: User) -> None:
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()


def test_a_doctor_filters_opens_acknowledges_defers_and_sees_the_history(
    page: Any, doctor: User, intakes: dict[str, Intake]
) -> None:
    target = intakes["needs_review"]

    page.goto(ja("review:queue"))
    expect(page).to_have_url(re.compile(r"/ja/accounts/login/\?next=/ja/review/$"))
    expect(page.get_by_role("heading", name="スタッフ用ログイン")).to_be_visible()
    axe_check(page)
    sign_in(page, doctor)

    expect(page).to_have_url(re.compile(r"/ja/review/$"))
    expect(page.get_by_role("heading", name="問診一覧")).to_be_visible()
    for intake in intakes.values():
        expect(page.get_by_text(intake.full_name)).to_be_visible()
    axe_check(page)

    page.get_by_label("判定", exact=True).select_option("needs_review")
    page.get_by_role("button", name="絞り込む").click()
    expect(page).to_have_url(re.compile(r"verdict=needs_review"))
    rows = page.locator("table.queue-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(target.full_name)
    expect(rows.first).to_contain_text("要医師確認")
    expect(rows.first).to_contain_text("KELOID")

    page.get_by_role("link", name=target.reference).click()
    expect(page).to_have_url(re.compile(re.escape(ja("review:intake", reference=target.reference))))
    expect(page.get_by_role("heading", name=re.compile(target.full_name))).to_be_visible()
    expect(page.locator("#intake-status")).to_have_text("確認中")
    expect(page.locator("#flag-KELOID")).to_contain_text("ケロイド・肥厚性瘢痕になりやすい")
    expect(page.locator("#access-records")).to_contain_text("問診を閲覧")
    axe_check(page)

    # Deferring without the acknowledgements is refused and keeps the note typed.
    page.get_by_label("保留", exact=True).check()
    page.get_by_label("メモ").fill("緑内障の病型を眼科に確認してから施術します。")
    page.get_by_role("button", name="判断を登録する").click()
    expect(page.get_by_text(re.compile("未確認：GLAUCOMA（緑内障）、KELOID（"))).to_be_visible()
    expect(page.get_by_label("メモ")).to_have_value("緑内障の病型を眼科に確認してから施術します。")
    assert not Decision.objects.exists()
    # The refused form comes back as 400 Bad Request, which Chromium reports on its console.
    assert page.problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    page.problems.clear()

    acknowledgements = page.locator('input[type="checkbox"][name^="ack_"]')
    expect(acknowledgements).to_have_count(2)
    for index in range(acknowledgements.count()):
        acknowledgements.nth(index).check()
    page.get_by_role("button", name="判断を登録する").click()

    # The page opens at the decision just saved; a new one's form is folded under it.
    expect(page).to_have_url(re.compile(r"#decisions$"))
    expect(page.locator("#decision-history li").first).to_be_in_viewport()
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="判断を登録しました。")).to_be_attached()
    history = page.locator("#decision-history")
    expect(history).to_contain_text("保留")
    expect(history).to_contain_text("緑内障の病型を眼科に確認してから施術します。")
    expect(history).to_contain_text("現在の判断")
    expect(page.locator("#intake-status")).to_have_text("判断済み")
    axe_check(page)

    decision = Decision.objects.get()
    assert (decision.intake_id, decision.doctor_id, decision.outcome) == (
        target.pk,
        doctor.pk,
        "deferred",
    )
    assert decision.acknowledged_flags == ["GLAUCOMA", "KELOID"]
    assert_no_browser_problems(page)


def test_a_receptionist_sees_the_queue_but_cannot_open_an_intake(
    page: Any, receptionist: User, intakes: dict[str, Intake]
) -> None:
    page.goto(ja("login"))
    sign_in(page, receptionist)
    expect(page.get_by_role("heading", name="本日の来院予定")).to_be_visible()  # its landing
    page.goto(ja("review:queue"))
    expect(page.get_by_role("heading", name="問診一覧")).to_be_visible()
    expect(page.get_by_text(intakes["needs_review"].full_name)).to_be_visible()
    expect(page.get_by_text("要医師確認")).to_have_count(0)
    expect(page.get_by_text("KELOID")).to_have_count(0)
    expect(page.locator("select[name=verdict]")).to_have_count(0)

    response = page.goto(ja("review:intake", reference=intakes["needs_review"].reference))
    assert response.status == 403
    expect(page.get_by_role("heading", name="アクセス権がありません")).to_be_visible()
    expect(page.get_by_text(intakes["needs_review"].full_name)).to_have_count(0)
    axe_check(page)
    # The 403 page is the one expected problem: Chromium reports its status on the console.
    assert page.problems == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]


def test_an_anonymous_visitor_is_sent_to_the_login_page(
    page: Any, intakes: dict[str, Intake]
) -> None:
    intake_path = ja("review:intake", reference=intakes["not_suitable"].reference)
    page.goto(intake_path)
    expect(page).to_have_url(re.compile(r"/ja/accounts/login/\?next="))
    expect(page.get_by_role("heading", name="スタッフ用ログイン")).to_be_visible()
    expect(page.get_by_text(intakes["not_suitable"].full_name)).to_have_count(0)
    page.goto(ja("review:print", reference=intakes["not_suitable"].reference))
    expect(page).to_have_url(re.compile(r"/ja/accounts/login/\?next="))
    assert_no_browser_problems(page)


# From a phone to a desktop, through the consultation room's tablet (768 px).
QUEUE_WIDTHS = (375, 768, 1024, 1280)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_queue_fits_every_width_from_a_phone_to_a_desktop(
    new_page: Any, doctor: User, intakes: dict[str, Intake], live_server: Any, language: str
) -> None:
    # The longest row there is: a contraindication and four more flags, with long titles.
    submit(
        full_name="渡辺 久美子",
        full_name_kana="ワタナベ クミコ",
        pregnancy="pregnant",
        neuromuscular=["myasthenia_gravis"],
        topical_retinoids=["tretinoin"],
        retinoid_irritation=["redness"],
        medications=["otc_blood_thinning"],
    )
    with translation.override(language):
        queue = reverse("review:queue") + "?status=all"
    for width in QUEUE_WIDTHS:
        page = signed_in(
            new_page(viewport={"width": width, "height": 900}, locale="ja-JP"), doctor, live_server
        )
        page.goto(queue)
        expect(page.locator(".flag-chip-title").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        table = page.locator(".table-responsive")
        assert table.evaluate("box => box.scrollWidth <= box.clientWidth"), width
        # Verdicts take a line or two (three for the longest English one), never a column of
        # words; the longest flag title with its code, four at most.
        assert max(page.evaluate(LINES_OF, ".queue-table .verdict-badge")) <= 3, width
        assert max(page.evaluate(LINES_OF, ".queue-table .flag-chip")) <= 4, width
        if width == 768:
            axe_check(page)
        assert_no_browser_problems(page)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_decided_intake_and_its_print_view_pass_axe_in_both_languages(
    new_page: Any, doctor: User, intakes: dict[str, Intake], live_server: Any, language: str
) -> None:
    target = intakes["needs_review"]
    decision = Decision.objects.create(
        intake=target,
        doctor=doctor,
        outcome="deferred",
        note="眼科の所見を確認します。",
        acknowledged_flags=["GLAUCOMA", "KELOID"],
        decided_at=timezone.now(),
    )
    page = signed_in(new_page(viewport={"width": 1280, "height": 900}), doctor, live_server)
    with translation.override(language):
        intake_path = reverse("review:intake", kwargs={"reference": target.reference})
        print_path = reverse("review:print", kwargs={"reference": target.reference})

    page.goto(intake_path)
    # Decided: the decision first, its flags by their titles; the new one's form folded.
    expect(page.locator("#decision-history")).to_contain_text(decision.note)
    expect(page.locator("#decision-history .flag-chip-title").first).to_be_visible()
    expect(page.locator("#decision-form")).to_be_hidden()
    expect(page.locator("#flag-KELOID-sources")).to_be_visible()
    axe_check(page)
    page.locator("#new-decision summary").click()
    expect(page.locator("#decision-form")).to_be_visible()
    axe_check(page)

    page.goto(print_path)
    # The summary: the decision's note, every flag by its title (its code as secondary text).
    expect(page.get_by_text(decision.note)).to_be_visible()
    expect(page.locator('code[lang="en"]', has_text="KELOID")).to_be_visible()
    axe_check(page)
    assert_no_browser_problems(page)


def test_on_a_phone_a_saved_decision_is_what_the_doctor_sees_next(
    new_page: Any, doctor: User, intakes: dict[str, Intake], live_server: Any
) -> None:
    target = intakes["needs_review"]
    page = signed_in(new_page(**MOBILE), doctor, live_server)
    page.goto(ja("review:intake", reference=target.reference))
    for box in page.locator('input[type="checkbox"][name^="ack_"]').all():
        box.check()
    page.get_by_label("保留", exact=True).check()
    page.get_by_label("メモ").fill("眼科の所見を確認します。")
    page.get_by_role("button", name="判断を登録する").click()

    # The page opens at the decisions (far below the flags on a phone), the saved one on top,
    # with the focus there for a screen reader.
    page.wait_for_function(
        "() => Math.abs(document.getElementById('decisions').getBoundingClientRect().top) < 2"
    )
    expect(page.locator("#decision-history li").first).to_contain_text("眼科の所見を確認します。")
    expect(page.locator("#decisions")).to_be_focused()
    expect(page.locator("#decision-form")).to_be_hidden()
    assert_no_browser_problems(page)

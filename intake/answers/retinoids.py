"""Step 3: topical retinoids now, and oral isotretinoin."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

TOPICAL_RETINOIDS_IN_USE = ("tretinoin", "adapalene", "tazarotene", "retinol", "other")

RETINOIDS = (
    Question(
        "topical_retinoids",
        "retinoids",
        "multi",
        Text("現在使っている塗り薬・化粧品", "Retinoids you use on your skin now"),
        False,
        choices(
            ("tretinoin", "トレチノイン", "Tretinoin"),
            ("adapalene", "アダパレン（ディフェリン）", "Adapalene (Differin)"),
            ("tazarotene", "タザロテン", "Tazarotene"),
            ("retinol", "レチノール（市販）", "Retinol (over the counter)"),
            ("other", "その他のレチノイド", "Another retinoid"),
        ),
        help=Text("使っていなければ選択不要です", "Leave empty if you use none"),
    ),
    Question(
        "topical_retinoid_started",
        "retinoids",
        "date",
        Text("今のレチノイドを使い始めた日", "When you started the current one"),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
        required_when_shown=True,
        help=Text("おおよその日付で構いません", "An approximate date is fine"),
    ),
    Question(
        "retinoid_irritation",
        "retinoids",
        "multi",
        Text("レチノイドによる今の肌の症状", "What the retinoid causes now"),
        False,
        choices(
            ("redness", "赤み", "Redness"),
            ("peeling", "皮むけ", "Peeling"),
            ("dryness", "乾燥", "Dryness"),
            ("itching", "かゆみ", "Itching"),
            ("burning", "ヒリヒリ感", "Burning or stinging"),
            ("breakout", "一時的なニキビ悪化（好転反応）", "Temporary breakout (purging)"),
        ),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
    ),
    Question(
        "isotretinoin",
        "retinoids",
        "code",
        Text("イソトレチノイン（内服薬）", "Oral isotretinoin"),
        True,
        choices(
            ("never", "飲んだことはない", "Never taken"),
            ("current", "現在飲んでいる", "Taking it now"),
            ("past", "以前飲んでいた", "Taken in the past"),
        ),
    ),
    Question(
        "isotretinoin_last_dose",
        "retinoids",
        "date",
        Text("イソトレチノインを最後に飲んだ日", "Date of your last isotretinoin dose"),
        shown_when=("isotretinoin", ("past",)),
        required_when_shown=True,
        help=Text("おおよその日付で構いません", "An approximate date is fine"),
    ),
)

STEP = Step("retinoids", Text("レチノイド", "Retinoids"), RETINOIDS)

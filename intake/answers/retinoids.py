"""Step 3: topical retinoids now, and oral isotretinoin."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

TOPICAL_RETINOIDS_IN_USE = ("tretinoin", "adapalene", "tazarotene", "retinol", "other")

RETINOIDS = (
    Question(
        "topical_retinoids",
        "retinoids",
        "multi",
        Text(
            "現在使っているレチノイド（ビタミンA系）の塗り薬・化粧品",
            "Retinoid (vitamin A) creams, gels or cosmetics you use on your skin now",
        ),
        False,
        choices(
            ("tretinoin", "トレチノイン（塗り薬）", "Tretinoin (cream or gel)"),
            (
                "adapalene",
                "アダパレン（ディフェリンゲル・エピデュオゲル）",
                "Adapalene (Differin gel, Epiduo gel)",
            ),
            ("tazarotene", "タザロテン（塗り薬）", "Tazarotene (cream or gel)"),
            (
                "retinol",
                "レチノール配合の化粧品（市販）",
                "Cosmetics containing retinol (over the counter)",
            ),
            ("other", "その他のレチノイド", "Another retinoid"),
        ),
        help=Text(
            "ほかの塗り薬や保湿剤は含みません。使っていなければ選択不要です",
            "Other creams and moisturisers do not count. Leave empty if you use none",
        ),
    ),
    Question(
        "topical_retinoid_started",
        "retinoids",
        "date",
        Text("今使っているレチノイドを使い始めた日", "When you started the retinoid you use now"),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
        required_when_shown=True,
        help=Text("おおよその日付で構いません", "An approximate date is fine"),
    ),
    Question(
        "retinoid_irritation",
        "retinoids",
        "multi",
        Text(
            "レチノイドを使っていて、今出ている肌の症状",
            "What the retinoid is causing on your skin now",
        ),
        False,
        choices(
            ("redness", "赤み", "Redness"),
            ("peeling", "皮むけ", "Peeling"),
            ("dryness", "乾燥", "Dryness"),
            ("itching", "かゆみ", "Itching"),
            ("burning", "ヒリヒリ感", "Burning or stinging"),
            (
                "breakout",
                "使い始めの一時的なニキビの悪化",
                "Acne getting worse for a while after starting",
            ),
        ),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "isotretinoin",
        "retinoids",
        "code",
        Text(
            "ニキビの飲み薬イソトレチノイン（ロアキュテイン・アクネトレントなど）",
            "Isotretinoin, an acne medicine taken by mouth (Roaccutane and other brands)",
        ),
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

STEP = Step("retinoids", Text("レチノイド（ビタミンA系）", "Retinoids (vitamin A)"), RETINOIDS)

"""Step 6: the consents a patient must give."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text

CONSENT = (
    Question(
        "consent_privacy",
        "consent",
        "bool",
        Text(
            "上記の「個人情報の取り扱い」を読み、同意します",
            "I have read how my personal information is handled, described above, and agree",
        ),
        True,
        must_be_true=True,
        help=Text(
            "同意は、いつでも取り消すことができます（お問い合わせ窓口は上記のとおりです）",
            "You can withdraw this consent at any time (the office to contact is given above)",
        ),
    ),
    Question(
        "consent_off_label",
        "consent",
        "bool",
        Text(
            "マイクロボトックスは適応外使用（国内で承認された使い方とは異なる使い方）で、"
            "施術の前に医師から説明を受けることを理解しました",
            "I understand that micro-Botox is an off-label use (a use other than the one approved "
            "in Japan), which the doctor will explain before the treatment",
        ),
        True,
        must_be_true=True,
        help=Text(
            "これは説明を読んだことの確認で、施術への同意ではありません。施術を受けるかどうかは、"
            "医師の説明を聞いてからお決めいただけます（お断りいただくこともできます）",
            "This confirms that you have read the explanation; it is not consent to the "
            "treatment. You decide whether to have it after the doctor's explanation (you may "
            "decline)",
        ),
    ),
    Question(
        "confirm_accurate",
        "consent",
        "bool",
        Text(
            "回答内容は、私の知る限り正確です",
            "My answers are accurate to the best of my knowledge",
        ),
        True,
        must_be_true=True,
    ),
)

STEP = Step("consent", Text("確認と同意", "Consent"), CONSENT)

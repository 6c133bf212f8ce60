"""Step 6: the consents a patient must give."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text

CONSENT = (
    Question(
        "consent_privacy",
        "consent",
        "bool",
        Text(
            "上記の「個人情報の取り扱い」に同意します",
            "I agree to the handling of my personal information described above",
        ),
        True,
        must_be_true=True,
    ),
    Question(
        "consent_off_label",
        "consent",
        "bool",
        Text(
            "マイクロボトックスは承認範囲外（適応外）の使用であり、医師から説明を受けることを理解しました",
            "I understand that micro-Botox is an off-label use that the doctor will explain",
        ),
        True,
        must_be_true=True,
    ),
    Question(
        "confirm_accurate",
        "consent",
        "bool",
        Text(
            "回答内容は私の知る限り正確です",
            "My answers are accurate to the best of my knowledge",
        ),
        True,
        must_be_true=True,
    ),
)

STEP = Step("consent", Text("確認と同意", "Consent"), CONSENT)

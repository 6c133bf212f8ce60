"""Step 1: who the patient is and when they come."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

ABOUT_YOU = (
    Question("full_name", "about_you", "text", Text("氏名", "Full name"), True, max_length=100),
    Question(
        "full_name_kana",
        "about_you",
        "text",
        Text("フリガナ", "Name in katakana (furigana)"),
        max_length=100,
        help=Text(
            "全角カタカナでご記入ください（例：ヤマダ ハナコ）", "In katakana, e.g. ヤマダ ハナコ"
        ),
    ),
    Question(
        "date_of_birth",
        "about_you",
        "date",
        Text("生年月日", "Date of birth"),
        True,
        help=Text(
            "西暦でご入力ください（例：1995-04-10）",
            "Year, month and day in the Western calendar, e.g. 1995-04-10",
        ),
    ),
    Question(
        "sex",
        "about_you",
        "code",
        Text("性別", "Sex"),
        True,
        choices(
            ("female", "女性", "Female"),
            ("male", "男性", "Male"),
            ("other", "その他", "Other"),
            ("undisclosed", "回答しない", "Prefer not to say"),
        ),
    ),
    Question(
        "phone",
        "about_you",
        "phone",
        Text("電話番号", "Phone number"),
        True,
        max_length=30,
        help=Text("例：06-1234-5678", "e.g. 06-1234-5678 or +81 6 1234 5678"),
    ),
    Question("email", "about_you", "email", Text("メールアドレス", "Email"), max_length=254),
    Question(
        "visit_date",
        "about_you",
        "date",
        Text("ご来院予定日", "Planned visit date"),
        help=Text(
            "ご予約済みの場合はご入力ください", "If you already have an appointment, enter its date"
        ),
    ),
)

STEP = Step("about_you", Text("基本情報", "Your details"), ABOUT_YOU)

"""Step 4: earlier botulinum toxin and resurfacing treatments."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

TREATMENTS = (
    Question(
        "botulinum_before",
        "treatments",
        "bool",
        Text(
            "これまでにボツリヌス治療（ボトックスなど）を受けたことがありますか",
            "Have you ever had a botulinum toxin treatment (Botox or similar)?",
        ),
        True,
        help=Text("部位・クリニックを問いません", "Any area, any clinic"),
    ),
    Question(
        "botulinum_last_date",
        "treatments",
        "date",
        Text("最後に受けた日", "Date of the last treatment"),
        shown_when=("botulinum_before", (True,)),
        required_when_shown=True,
        help=Text("おおよその日付で構いません", "An approximate date is fine"),
    ),
    Question(
        "botulinum_product",
        "treatments",
        "code",
        Text("使用した製剤", "Product used"),
        False,
        choices(
            ("botox_vista", "ボトックスビスタ", "Botox Vista"),
            ("botox", "ボトックス", "Botox"),
            ("dysport", "ディスポート", "Dysport"),
            ("xeomin", "ゼオミン", "Xeomin"),
            ("nabota", "ナボタ", "Nabota"),
            ("botulax", "ボツラックス", "Botulax"),
            ("coretox", "コアトックス", "Coretox"),
            ("other", "その他", "Other"),
            ("unknown", "わからない", "I don't know"),
        ),
        shown_when=("botulinum_before", (True,)),
    ),
    Question(
        "botulinum_reactions",
        "treatments",
        "multi",
        Text("そのときに起きたこと", "Reactions you had"),
        False,
        choices(
            ("allergy", "アレルギー反応", "Allergic reaction"),
            ("drooping", "まぶた・眉の下垂", "Drooping eyelid or brow"),
            ("swallowing_breathing", "飲み込みにくさ・息苦しさ", "Trouble swallowing or breathing"),
            ("other", "その他", "Other"),
        ),
        shown_when=("botulinum_before", (True,)),
    ),
    Question(
        "last_resurfacing_date",
        "treatments",
        "date",
        Text(
            "顔へのレーザー・ピーリング・ダーマペンを最後に受けた日",
            "Last laser, chemical peel or microneedling on the face",
        ),
        help=Text("受けたことがなければ空欄のまま", "Leave empty if never"),
    ),
)

STEP = Step("treatments", Text("これまでの施術", "Earlier treatments"), TREATMENTS)

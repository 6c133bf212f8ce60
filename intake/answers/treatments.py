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
        help=Text(
            "顔以外（エラ・肩・ワキ汗など）や他院で受けたものも含みます",
            "Include treatments outside the face (jaw, shoulders, underarm sweating…) and at "
            "other clinics",
        ),
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
        Text("前回使った製剤", "Product used last time"),
        False,
        choices(
            ("botox_vista", "ボトックスビスタ", "Botox Vista"),
            ("botox", "ボトックス", "Botox"),
            ("dysport", "ディスポート", "Dysport"),
            ("xeomin", "ゼオマイン", "Xeomin"),
            ("nabota", "ナボタ", "Nabota"),
            ("botulax", "ボツラックス", "Botulax"),
            ("coretox", "コアトックス", "Coretox"),
            ("other", "その他", "Other"),
            ("unknown", "わからない", "I don't know"),
        ),
        shown_when=("botulinum_before", (True,)),
        help=Text(
            "わからなければ「わからない」をお選びください",
            "If you are not sure, choose “I don't know”",
        ),
    ),
    Question(
        "botulinum_reactions",
        "treatments",
        "multi",
        Text(
            "ボツリヌス治療の後に起きたこと",
            "Problems you had after a botulinum toxin treatment",
        ),
        False,
        choices(
            ("allergy", "アレルギー反応", "Allergic reaction"),
            ("drooping", "まぶたや眉が下がった", "Drooping eyelid or brow"),
            ("swallowing_breathing", "飲み込みにくさ・息苦しさ", "Trouble swallowing or breathing"),
            ("other", "その他", "Other"),
        ),
        shown_when=("botulinum_before", (True,)),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "last_resurfacing_date",
        "treatments",
        "date",
        Text(
            "顔へのレーザー・ピーリング・ダーマペンを最後に受けた日",
            "Last laser, chemical peel or microneedling on the face",
        ),
        help=Text("受けたことがなければ空欄のままで構いません", "Leave empty if you never had one"),
    ),
)

STEP = Step("treatments", Text("これまでの施術", "Earlier treatments"), TREATMENTS)

"""Step 5: pregnancy, diseases, allergies, medicines, events."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

HEALTH = (
    Question(
        "pregnancy",
        "health",
        "code",
        Text("妊娠", "Pregnancy"),
        True,
        choices(
            ("not_pregnant", "妊娠していない", "Not pregnant"),
            ("pregnant", "妊娠中", "Pregnant"),
            ("possibly_pregnant", "妊娠の可能性あり", "Possibly pregnant"),
            ("not_applicable", "該当しない", "Not applicable"),
        ),
    ),
    Question(
        "breastfeeding", "health", "bool", Text("授乳中ですか", "Are you breastfeeding?"), True
    ),
    Question(
        "planning_pregnancy",
        "health",
        "bool",
        Text(
            "ご本人またはパートナーが3か月以内の妊娠を予定していますか",
            "Do you or your partner plan a pregnancy within 3 months?",
        ),
        True,
    ),
    Question(
        "neuromuscular",
        "health",
        "multi",
        Text("神経・筋肉の病気", "Nerve or muscle diseases"),
        False,
        choices(
            ("myasthenia_gravis", "重症筋無力症", "Myasthenia gravis"),
            ("lambert_eaton", "ランバート・イートン症候群", "Lambert-Eaton syndrome"),
            ("als", "筋萎縮性側索硬化症（ALS）", "Amyotrophic lateral sclerosis (ALS)"),
            ("other_neuromuscular", "その他の神経・筋肉の病気", "Another nerve or muscle disease"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "other_conditions",
        "health",
        "multi",
        Text("その他の病気", "Other conditions"),
        False,
        choices(
            (
                "asthma_copd",
                "喘息などの慢性呼吸器疾患",
                "Asthma, COPD or another chronic lung disease",
            ),
            ("swallowing_difficulty", "飲み込みにくさ", "Difficulty swallowing"),
            ("glaucoma", "緑内障", "Glaucoma"),
            ("bleeding_disorder", "血が止まりにくい病気", "A bleeding disorder"),
            ("immunosuppressed", "免疫の病気・免疫抑制", "Immune disease or immunosuppression"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergies",
        "health",
        "multi",
        Text("アレルギー", "Allergies"),
        False,
        choices(
            ("botulinum_toxin", "ボツリヌス製剤", "Botulinum toxin products"),
            ("human_albumin", "ヒト血清アルブミン", "Human serum albumin"),
            ("cow_milk_protein", "牛乳タンパク", "Cow's milk protein"),
            ("lidocaine", "麻酔薬（リドカイン）", "Local anaesthetic (lidocaine)"),
            ("other", "その他", "Other"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergy_details",
        "health",
        "text",
        Text("アレルギーの詳細", "Allergy details"),
        max_length=500,
    ),
    Question(
        "medications",
        "health",
        "multi",
        Text("現在使用中のお薬・サプリメント", "Medicines and supplements you take now"),
        False,
        choices(
            ("aminoglycoside", "アミノグリコシド系抗生物質", "Aminoglycoside antibiotics"),
            ("muscle_relaxant", "筋弛緩薬", "Muscle relaxants"),
            ("anticholinergic", "抗コリン薬", "Anticholinergics"),
            ("tranquilizer", "精神安定剤・睡眠薬", "Tranquillisers or sleeping pills"),
            ("anticoagulant", "処方の抗凝固薬・抗血小板薬", "Prescribed blood thinners"),
            (
                "otc_blood_thinning",
                "市販の鎮痛薬・魚油・ビタミンE・イチョウ葉",
                "Over-the-counter painkillers, fish oil, vitamin E or ginkgo",
            ),
            ("other", "その他", "Other"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "medication_details",
        "health",
        "text",
        Text("お薬の名前・詳細", "Names of your medicines, details"),
        max_length=500,
    ),
    Question(
        "upcoming_event_date",
        "health",
        "date",
        Text(
            "大切な予定（結婚式・撮影など）の日",
            "Date of an important event (wedding, photos…)",
        ),
        help=Text("予定がなければ空欄のまま", "Leave empty if none"),
    ),
)

STEP = Step("health", Text("健康状態", "Health"), HEALTH)

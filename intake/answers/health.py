"""Step 5: pregnancy, diseases, allergies, medicines, events."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

HEALTH = (
    Question(
        "pregnancy",
        "health",
        "code",
        Text("現在、妊娠していますか", "Are you pregnant now?"),
        True,
        choices(
            ("not_pregnant", "妊娠していない", "Not pregnant"),
            ("pregnant", "妊娠している", "Pregnant"),
            ("possibly_pregnant", "妊娠している可能性がある", "Possibly pregnant"),
            (
                "not_applicable",
                "該当しない（男性・閉経後など）",
                "Not applicable (men, after menopause…)",
            ),
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
            "3か月以内に妊娠を希望していますか（男性の方はパートナーの妊娠を含みます）",
            "Do you hope for a pregnancy within 3 months? (Men: your partner's pregnancy counts.)",
        ),
        True,
    ),
    Question(
        "neuromuscular",
        "health",
        "multi",
        Text(
            "診断を受けたことがある神経・筋肉の病気",
            "Nerve or muscle diseases you have been diagnosed with",
        ),
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
        Text("その他の病気・体質", "Other conditions"),
        False,
        choices(
            (
                "asthma_copd",
                "喘息（ぜんそく）・COPDなど、長く続く呼吸器の病気",
                "Asthma, COPD or another long-term lung disease",
            ),
            ("swallowing_difficulty", "飲み込みにくさ", "Difficulty swallowing"),
            ("glaucoma", "緑内障", "Glaucoma"),
            (
                "bleeding_disorder",
                "血が止まりにくい病気（血友病など）",
                "A disease that makes bleeding hard to stop (haemophilia…)",
            ),
            (
                "immunosuppressed",
                "免疫の病気、または免疫を抑える治療中（ステロイドの飲み薬・抗がん剤など）",
                "An immune disease, or treatment that weakens the immune system (steroid "
                "tablets, cancer drugs…)",
                "免疫の病気・免疫抑制",
                "Immune disease or immunosuppression",
            ),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergies",
        "health",
        "multi",
        Text("アレルギーがあるもの", "What you are allergic to"),
        False,
        choices(
            (
                "botulinum_toxin",
                "ボツリヌス製剤（ボトックスなど）",
                "Botulinum toxin products (Botox and others)",
            ),
            (
                "human_albumin",
                "ヒト血清アルブミン（血液からつくられる成分）",
                "Human serum albumin (a product made from blood)",
            ),
            ("cow_milk_protein", "牛乳のタンパク質", "Cow's milk protein"),
            (
                "lidocaine",
                "麻酔薬（リドカイン・キシロカイン）",
                "Local anaesthetic (lidocaine, Xylocaine)",
            ),
            ("other", "その他", "Other"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergy_details",
        "health",
        "text",
        Text(
            "アレルギーの内容（何で、どうなったか）",
            "About your allergies (to what, and what happened)",
        ),
        max_length=500,
    ),
    Question(
        "medications",
        "health",
        "multi",
        Text("現在使っているお薬・サプリメント", "Medicines and supplements you take now"),
        False,
        # Patients know their medicines by use and brand; staff read the drug classes.
        choices(
            (
                "aminoglycoside",
                "注射・点滴の抗生物質（ゲンタマイシンなど）",
                "Antibiotic injections or drips (gentamicin and others)",
                "アミノグリコシド系抗生物質",
                "Aminoglycoside antibiotics",
            ),
            (
                "muscle_relaxant",
                "筋弛緩薬（きんしかんやく：筋肉のこわばりをゆるめる薬）",
                "Muscle relaxants (medicines that loosen stiff muscles)",
                "筋弛緩薬",
                "Muscle relaxants",
            ),
            (
                "anticholinergic",
                "抗コリン薬（ブスコパン、過活動膀胱の薬など）",
                "Anticholinergics (Buscopan, medicines for an overactive bladder…)",
                "抗コリン薬",
                "Anticholinergics",
            ),
            ("tranquilizer", "精神安定剤・睡眠薬", "Tranquillisers or sleeping pills"),
            (
                "anticoagulant",
                "血液をサラサラにする処方薬（ワーファリン・エリキュース・バイアスピリンなど）",
                "Prescribed blood thinners (warfarin, Eliquis, Bayaspirin…)",
                "処方の抗凝固薬・抗血小板薬",
                "Prescribed anticoagulants or antiplatelets",
            ),
            (
                "otc_blood_thinning",
                "市販の痛み止め（ロキソニンS・バファリンA・イブなど）、EPA・DHA、ビタミンE、イチョウ葉",
                "Over-the-counter painkillers (Loxonin S, Bufferin A, EVE…), EPA or DHA (fish "
                "oil), vitamin E, ginkgo",
                "市販の鎮痛薬・魚油（EPA・DHA）・ビタミンE・イチョウ葉",
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
        Text(
            "お薬・サプリメントの名前（わかる範囲で）",
            "Names of your medicines and supplements (as far as you know)",
        ),
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
        help=Text("予定がなければ空欄のままで構いません", "Leave empty if there is none"),
    ),
)

STEP = Step("health", Text("健康状態", "Health"), HEALTH)

"""Step 2: the skin and what the patient wants improved."""

from __future__ import annotations

from intake.answers.schema import Question, Step, Text, choices

SKIN = (
    Question(
        "skin_type",
        "skin",
        "code",
        Text("肌タイプ", "Skin type"),
        True,
        choices(
            ("normal", "普通肌", "Normal"),
            ("dry", "乾燥肌", "Dry"),
            ("oily", "脂性肌", "Oily"),
            ("combination", "混合肌", "Combination"),
            ("sensitive", "敏感肌", "Sensitive"),
        ),
    ),
    Question(
        "phototype",
        "skin",
        "code",
        Text("日焼けしたときの肌の反応", "How your skin reacts to the sun"),
        False,
        choices(
            ("I", "いつも赤くなり、まったく黒くならない", "Always burns, never tans"),
            ("II", "赤くなりやすく、ほとんど黒くならない", "Burns easily, tans minimally"),
            ("III", "ときどき赤くなり、少しずつ黒くなる", "Sometimes burns, tans gradually"),
            ("IV", "あまり赤くならず、よく黒くなる", "Rarely burns, tans well"),
            ("V", "ほとんど赤くならず、すぐ濃く黒くなる", "Very rarely burns, tans deeply"),
            ("VI", "赤くならない（もともと色が濃い肌）", "Never burns, deeply pigmented"),
            ("unknown", "わからない", "I don't know"),
        ),
    ),
    Question(
        "concerns",
        "skin",
        "multi",
        Text(
            "改善したいこと（当てはまるものをすべてお選びください）",
            "What would you like to improve? (choose all that apply)",
        ),
        True,
        choices(
            ("oiliness", "皮脂・テカリ", "Oiliness and shine"),
            ("enlarged_pores", "毛穴の開き", "Enlarged pores"),
            ("active_acne", "ニキビ", "Active acne"),
            ("acne_redness", "ニキビ跡の赤み", "Redness after acne"),
            ("acne_pigmentation", "ニキビ跡の色素沈着", "Dark marks after acne"),
            ("atrophic_scars", "ニキビ跡の凹凸（クレーター）", "Pitted acne scars"),
            ("rosacea_redness", "赤ら顔", "Facial redness (rosacea)"),
            ("fine_lines", "小じわ", "Fine lines"),
            ("other", "その他", "Other"),
        ),
    ),
    Question(
        "acne_lesion_count",
        "skin",
        "code",
        Text(
            "顔の片側にある、赤く腫れたニキビ・膿（うみ）をもったニキビの数（今日、おおよそで）",
            "Red, swollen or pus-filled spots on one side of your face (today, roughly)",
        ),
        True,
        # The grades of the Japanese Dermatological Association's scale are for staff: shown to a
        # patient, 重症 reads as a diagnosis.
        choices(
            ("none", "なし", "None"),
            ("1_5", "1〜5個", "1–5", "1〜5個（軽症）", "1–5 (mild)"),
            ("6_20", "6〜20個", "6–20", "6〜20個（中等症）", "6–20 (moderate)"),
            ("21_50", "21〜50個", "21–50", "21〜50個（重症）", "21–50 (severe)"),
            ("51_plus", "51個以上", "51 or more", "51個以上（最重症）", "51 or more (very severe)"),
        ),
        help=Text(
            "数えにくいときは、いちばん近いものをお選びください",
            "If they are hard to count, choose the closest",
        ),
    ),
    Question(
        "skin_problems_now",
        "skin",
        "multi",
        Text(
            "施術を受ける部分に、今、次のものはありますか",
            "In the area to be treated, do you have any of these now?",
        ),
        False,
        choices(
            ("infection", "化膿（うみ）・ばい菌による炎症", "Pus or an infection"),
            (
                "cold_sore",
                "口唇ヘルペス（唇やそのまわりの水ぶくれ）",
                "Cold sore (blisters on or around the lips)",
            ),
            ("open_wound", "傷（切り傷・すり傷など）", "An open wound (a cut or a graze)"),
            (
                "dermatitis",
                "湿疹・皮膚炎・乾癬（かんせん）の悪化",
                "A flare of eczema, dermatitis or psoriasis",
            ),
            ("irritation_peeling", "強い赤み・皮むけ", "Strong redness or peeling"),
        ),
        help=Text("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "keloid_history",
        "skin",
        "bool",
        Text(
            "傷あとが赤く盛り上がりやすい体質（ケロイド・肥厚性瘢痕）ですか",
            "Do your scars tend to become red and raised (keloids or hypertrophic scars)?",
        ),
        True,
        help=Text(
            "肥厚性瘢痕（ひこうせいはんこん）は、傷あとが赤く硬く盛り上がった状態です。"
            "ピアスの穴や手術の傷あとがそうなったことがあれば「はい」をお選びください",
            "A hypertrophic scar is a red, firm, raised scar. Answer yes if a piercing or a "
            "surgical scar has ever become like this",
        ),
    ),
)

STEP = Step("skin", Text("肌の状態", "Your skin"), SKIN)

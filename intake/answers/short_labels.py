"""Short labels of the questions, for staff documents where a line is short: the chart text
(`intake.chart`) and the one-page consultation summary. The patient reads the questions
(`Question.label`); a doctor's chart needs the heading a clinician would write.

Every step and every key of the data dictionary has one (a test checks it), consent included.
"""

from __future__ import annotations

from intake.answers.schema import Text

SHORT_STEP_LABELS: dict[str, Text] = {
    "about_you": Text("基本", "Details"),
    "skin": Text("肌", "Skin"),
    "retinoids": Text("レチノイド", "Retinoids"),
    "treatments": Text("施術歴", "Earlier treatments"),
    "health": Text("健康", "Health"),
    "consent": Text("同意", "Consent"),
}

SHORT_LABELS: dict[str, Text] = {
    # Step 1 · about you
    "full_name": Text("氏名", "Name"),
    "full_name_kana": Text("フリガナ", "Kana"),
    "date_of_birth": Text("生年月日", "Born"),
    "sex": Text("性別", "Sex"),
    "phone": Text("電話", "Phone"),
    "email": Text("メール", "Email"),
    "visit_date": Text("来院予定日", "Planned visit"),
    # Step 2 · skin
    "skin_type": Text("肌タイプ", "Skin type"),
    "phototype": Text("日焼け反応", "Sun reaction"),
    "concerns": Text("改善希望", "Concerns"),
    "acne_lesion_count": Text("炎症性皮疹（片側）", "Inflamed spots (one side)"),
    "skin_problems_now": Text("施術部位の皮膚", "Skin at the site now"),
    "keloid_history": Text("ケロイド体質", "Keloid tendency"),
    # Step 3 · retinoids
    "topical_retinoids": Text("外用レチノイド", "Topical retinoids"),
    "topical_retinoid_started": Text("外用開始日", "Retinoid started"),
    "retinoid_irritation": Text("レチノイドの刺激症状", "Retinoid irritation"),
    "isotretinoin": Text("イソトレチノイン内服", "Oral isotretinoin"),
    "isotretinoin_last_dose": Text("イソトレチノイン最終内服", "Isotretinoin last dose"),
    # Step 4 · earlier treatments
    "botulinum_before": Text("ボツリヌス治療歴", "Botulinum toxin before"),
    "botulinum_last_date": Text("ボツリヌス最終施術", "Last toxin treatment"),
    "botulinum_product": Text("前回製剤", "Last product"),
    "botulinum_reactions": Text("ボツリヌス後の症状", "Reactions after toxin"),
    "last_resurfacing_date": Text("レーザー・ピーリング最終", "Last laser or peel"),
    # Step 5 · health
    "pregnancy": Text("妊娠", "Pregnancy"),
    "breastfeeding": Text("授乳中", "Breastfeeding"),
    "planning_pregnancy": Text("3か月以内の妊娠希望", "Pregnancy planned (3 months)"),
    "neuromuscular": Text("神経・筋疾患", "Neuromuscular disease"),
    "other_conditions": Text("その他の疾患", "Other conditions"),
    "allergies": Text("アレルギー", "Allergies"),
    "allergy_details": Text("アレルギー詳細", "Allergy details"),
    "medications": Text("服用薬", "Medicines"),
    "medication_details": Text("薬剤名", "Medicine names"),
    "upcoming_event_date": Text("大切な予定", "Important event"),
    # Step 6 · consent
    "consent_privacy": Text("個人情報の同意", "Privacy consent"),
    "consent_off_label": Text("適応外使用の理解", "Off-label use understood"),
    "confirm_accurate": Text("回答内容の確認", "Answers confirmed"),
}

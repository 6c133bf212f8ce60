"""The data dictionary of spec §1: steps, questions, answer codes and their labels.

One place for every key and code. Forms, model choices, the ``screen`` command and the export read
them from here. Standard library only (like screening.py), so any tool can load it; labels carry
both languages and the Django side picks one with the active language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "email", "phone", "date", "code", "multi", "bool"]


@dataclass(frozen=True)
class Label:
    ja: str
    en: str

    def in_language(self, language: str | None) -> str:
        return self.en if (language or "").startswith("en") else self.ja


@dataclass(frozen=True)
class Choice:
    code: str
    label: Label


@dataclass(frozen=True)
class Question:
    key: str
    step: str
    kind: Kind
    label: Label
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    help: Label | None = None
    # The key and the answers that make this question relevant; None means always asked.
    shown_when: tuple[str, tuple[object, ...]] | None = None
    # Required whenever it is shown (a conditional question that can't be skipped).
    required_when_shown: bool = False
    # A yes/no answer that must be yes (the consents).
    must_be_true: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.choices)

    def choice_label(self, code: str, language: str | None) -> str:
        for choice in self.choices:
            if choice.code == code:
                return choice.label.in_language(language)
        return code


@dataclass(frozen=True)
class Step:
    name: str
    label: Label
    questions: tuple[Question, ...] = field(default=())


def _choices(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(code, Label(ja, en)) for code, ja, en in items)


YES_NO = _choices(("yes", "はい", "Yes"), ("no", "いいえ", "No"))

ABOUT_YOU = (
    Question("full_name", "about_you", "text", Label("氏名", "Full name"), True, max_length=100),
    Question(
        "full_name_kana",
        "about_you",
        "text",
        Label("フリガナ", "Name in katakana (furigana)"),
        max_length=100,
        help=Label(
            "全角カタカナでご記入ください（例：ヤマダ ハナコ）", "In katakana, e.g. ヤマダ ハナコ"
        ),
    ),
    Question("date_of_birth", "about_you", "date", Label("生年月日", "Date of birth"), True),
    Question(
        "sex",
        "about_you",
        "code",
        Label("性別", "Sex"),
        True,
        _choices(
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
        Label("電話番号", "Phone number"),
        True,
        max_length=30,
        help=Label("例：06-1234-5678", "e.g. 06-1234-5678 or +81 6 1234 5678"),
    ),
    Question("email", "about_you", "email", Label("メールアドレス", "Email"), max_length=254),
    Question(
        "visit_date",
        "about_you",
        "date",
        Label("ご来院予定日", "Planned visit date"),
        help=Label("決まっていれば", "If you already have an appointment"),
    ),
)

SKIN = (
    Question(
        "skin_type",
        "skin",
        "code",
        Label("肌タイプ", "Skin type"),
        True,
        _choices(
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
        Label("日焼けのしかた（スキンタイプ）", "How your skin reacts to the sun (phototype)"),
        False,
        _choices(
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
        Label(
            "気になること（複数選択可）", "What would you like to improve? (choose all that apply)"
        ),
        True,
        _choices(
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
        Label(
            "今日の炎症性ニキビ（赤いニキビ）の数（顔の片側）",
            "Inflamed spots on one side of your face today",
        ),
        True,
        _choices(
            ("none", "なし", "None"),
            ("1_5", "1〜5個（軽症）", "1–5 (mild)"),
            ("6_20", "6〜20個（中等症）", "6–20 (moderate)"),
            ("21_50", "21〜50個（重症）", "21–50 (severe)"),
            ("51_plus", "51個以上（最重症）", "51 or more (very severe)"),
        ),
    ),
    Question(
        "skin_problems_now",
        "skin",
        "multi",
        Label("施術する部位に今あるもの", "In the area to be treated, right now"),
        False,
        _choices(
            ("infection", "化膿・感染", "Infection or pus"),
            ("cold_sore", "口唇ヘルペス", "Cold sore"),
            ("open_wound", "傷", "Open wound"),
            ("dermatitis", "湿疹・皮膚炎・乾癬の悪化", "Flare of eczema, dermatitis or psoriasis"),
            ("irritation_peeling", "強い赤み・皮むけ", "Strong redness or peeling"),
        ),
        help=Label("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "keloid_history",
        "skin",
        "bool",
        Label(
            "ケロイド・肥厚性瘢痕になりやすいですか", "Do you tend to form keloids or raised scars?"
        ),
        True,
    ),
)

TOPICAL_RETINOIDS_IN_USE = ("tretinoin", "adapalene", "tazarotene", "retinol", "other")

RETINOIDS = (
    Question(
        "topical_retinoids",
        "retinoids",
        "multi",
        Label("現在使っている塗り薬・化粧品", "Retinoids you use on your skin now"),
        False,
        _choices(
            ("tretinoin", "トレチノイン", "Tretinoin"),
            ("adapalene", "アダパレン（ディフェリン）", "Adapalene (Differin)"),
            ("tazarotene", "タザロテン", "Tazarotene"),
            ("retinol", "レチノール（市販）", "Retinol (over the counter)"),
            ("other", "その他のレチノイド", "Another retinoid"),
        ),
        help=Label("使っていなければ選択不要です", "Leave empty if you use none"),
    ),
    Question(
        "topical_retinoid_started",
        "retinoids",
        "date",
        Label("今のレチノイドを使い始めた日", "When you started the current one"),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
        required_when_shown=True,
        help=Label("おおよその日付で構いません", "An approximate date is fine"),
    ),
    Question(
        "retinoid_irritation",
        "retinoids",
        "multi",
        Label("レチノイドによる今の肌の症状", "What the retinoid causes now"),
        False,
        _choices(
            ("redness", "赤み", "Redness"),
            ("peeling", "皮むけ", "Peeling"),
            ("dryness", "乾燥", "Dryness"),
            ("itching", "かゆみ", "Itching"),
            ("burning", "ヒリヒリ感", "Burning or stinging"),
            ("breakout", "一時的なニキビ悪化（好転反応）", "Temporary breakout (purging)"),
        ),
        shown_when=("topical_retinoids", TOPICAL_RETINOIDS_IN_USE),
    ),
    Question(
        "isotretinoin",
        "retinoids",
        "code",
        Label("イソトレチノイン（内服薬）", "Oral isotretinoin"),
        True,
        _choices(
            ("never", "飲んだことはない", "Never taken"),
            ("current", "現在飲んでいる", "Taking it now"),
            ("past", "以前飲んでいた", "Taken in the past"),
        ),
    ),
    Question(
        "isotretinoin_last_dose",
        "retinoids",
        "date",
        Label("イソトレチノインを最後に飲んだ日", "Date of your last isotretinoin dose"),
        shown_when=("isotretinoin", ("past",)),
        required_when_shown=True,
        help=Label("おおよその日付で構いません", "An approximate date is fine"),
    ),
)

TREATMENTS = (
    Question(
        "botulinum_before",
        "treatments",
        "bool",
        Label(
            "これまでにボツリヌス治療（ボトックスなど）を受けたことがありますか",
            "Have you ever had a botulinum toxin treatment (Botox or similar)?",
        ),
        True,
        help=Label("部位・クリニックを問いません", "Any area, any clinic"),
    ),
    Question(
        "botulinum_last_date",
        "treatments",
        "date",
        Label("最後に受けた日", "Date of the last treatment"),
        shown_when=("botulinum_before", (True,)),
        required_when_shown=True,
        help=Label("おおよその日付で構いません", "An approximate date is fine"),
    ),
    Question(
        "botulinum_product",
        "treatments",
        "code",
        Label("使用した製剤", "Product used"),
        False,
        _choices(
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
        Label("そのときに起きたこと", "Reactions you had"),
        False,
        _choices(
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
        Label(
            "顔へのレーザー・ピーリング・ダーマペンを最後に受けた日",
            "Last laser, chemical peel or microneedling on the face",
        ),
        help=Label("受けたことがなければ空欄のまま", "Leave empty if never"),
    ),
)

HEALTH = (
    Question(
        "pregnancy",
        "health",
        "code",
        Label("妊娠", "Pregnancy"),
        True,
        _choices(
            ("not_pregnant", "妊娠していない", "Not pregnant"),
            ("pregnant", "妊娠中", "Pregnant"),
            ("possibly_pregnant", "妊娠の可能性あり", "Possibly pregnant"),
            ("not_applicable", "該当しない", "Not applicable"),
        ),
    ),
    Question(
        "breastfeeding", "health", "bool", Label("授乳中ですか", "Are you breastfeeding?"), True
    ),
    Question(
        "planning_pregnancy",
        "health",
        "bool",
        Label(
            "ご本人またはパートナーが3か月以内の妊娠を予定していますか",
            "Do you or your partner plan a pregnancy within 3 months?",
        ),
        True,
    ),
    Question(
        "neuromuscular",
        "health",
        "multi",
        Label("神経・筋肉の病気", "Nerve or muscle diseases"),
        False,
        _choices(
            ("myasthenia_gravis", "重症筋無力症", "Myasthenia gravis"),
            ("lambert_eaton", "ランバート・イートン症候群", "Lambert-Eaton syndrome"),
            ("als", "筋萎縮性側索硬化症（ALS）", "Amyotrophic lateral sclerosis (ALS)"),
            ("other_neuromuscular", "その他の神経・筋肉の病気", "Another nerve or muscle disease"),
        ),
        help=Label("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "other_conditions",
        "health",
        "multi",
        Label("その他の病気", "Other conditions"),
        False,
        _choices(
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
        help=Label("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergies",
        "health",
        "multi",
        Label("アレルギー", "Allergies"),
        False,
        _choices(
            ("botulinum_toxin", "ボツリヌス製剤", "Botulinum toxin products"),
            ("human_albumin", "ヒト血清アルブミン", "Human serum albumin"),
            ("cow_milk_protein", "牛乳タンパク", "Cow's milk protein"),
            ("lidocaine", "麻酔薬（リドカイン）", "Local anaesthetic (lidocaine)"),
            ("other", "その他", "Other"),
        ),
        help=Label("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "allergy_details",
        "health",
        "text",
        Label("アレルギーの詳細", "Allergy details"),
        max_length=500,
    ),
    Question(
        "medications",
        "health",
        "multi",
        Label("現在使用中のお薬・サプリメント", "Medicines and supplements you take now"),
        False,
        _choices(
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
        help=Label("当てはまるものがなければ選択不要です", "Leave empty if none applies"),
    ),
    Question(
        "medication_details",
        "health",
        "text",
        Label("お薬の名前・詳細", "Names of your medicines, details"),
        max_length=500,
    ),
    Question(
        "upcoming_event_date",
        "health",
        "date",
        Label(
            "大切な予定（結婚式・撮影など）の日",
            "Date of an important event (wedding, photos…)",
        ),
        help=Label("予定がなければ空欄のまま", "Leave empty if none"),
    ),
)

CONSENT = (
    Question(
        "consent_privacy",
        "consent",
        "bool",
        Label(
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
        Label(
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
        Label(
            "回答内容は私の知る限り正確です",
            "My answers are accurate to the best of my knowledge",
        ),
        True,
        must_be_true=True,
    ),
)

STEPS: tuple[Step, ...] = (
    Step("about_you", Label("あなたについて", "About you"), ABOUT_YOU),
    Step("skin", Label("肌の状態", "Your skin"), SKIN),
    Step("retinoids", Label("レチノイド", "Retinoids"), RETINOIDS),
    Step("treatments", Label("これまでの施術", "Earlier treatments"), TREATMENTS),
    Step("health", Label("健康状態", "Health"), HEALTH),
    Step("consent", Label("確認と同意", "Consent"), CONSENT),
)
STEPS_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
QUESTIONS: dict[str, Question] = {q.key: q for step in STEPS for q in step.questions}
CONSENT_KEYS: tuple[str, ...] = tuple(q.key for q in CONSENT)
MULTI_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS.values() if q.kind == "multi")
DATE_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS.values() if q.kind == "date")


def is_shown(question: Question, answers: dict[str, object]) -> bool:
    """Whether a conditional question applies, given the answers so far."""
    if question.shown_when is None:
        return True
    key, values = question.shown_when
    value = answers.get(key)
    if isinstance(value, list | tuple | set | frozenset):
        return any(item in values for item in value)
    return value in values


# Verdicts, suitability and review status: codes of spec §2 with their labels.
VERDICT_LABELS: dict[str, Label] = {
    "not_suitable": Label("適応外（今回は施術不可）", "Not suitable"),
    "needs_review": Label("要医師確認", "Needs review"),
    "suitable_with_cautions": Label("注意して適応", "Suitable with cautions"),
    "suitable": Label("適応", "Suitable"),
}
SUITABILITY_LABELS: dict[str, Label] = {
    "good": Label("効果が期待できる", "Good"),
    "partial": Label("一部期待できる", "Partial"),
    "poor": Label("効果は限定的", "Poor"),
}
SEVERITY_LABELS: dict[str, Label] = {
    "contraindication": Label("禁忌", "Contraindication"),
    "review": Label("要確認", "Review"),
    "caution": Label("注意", "Caution"),
    "info": Label("情報", "Info"),
}


def example_answers(today: datetime.date) -> dict[str, object]:
    """A complete, valid intake raising no flag but OFF_LABEL: the base of demo data and tests."""
    return {
        "full_name": "山田 花子",
        "full_name_kana": "ヤマダ ハナコ",
        "date_of_birth": datetime.date(1995, 4, 10),
        "sex": "female",
        "phone": "06-6375-0000",
        "email": "hanako@example.jp",
        "visit_date": today + datetime.timedelta(days=10),
        "skin_type": "oily",
        "phototype": "III",
        "concerns": ["oiliness", "enlarged_pores"],
        "acne_lesion_count": "1_5",
        "skin_problems_now": [],
        "keloid_history": False,
        "topical_retinoids": [],
        "topical_retinoid_started": None,
        "retinoid_irritation": [],
        "isotretinoin": "never",
        "isotretinoin_last_dose": None,
        "botulinum_before": False,
        "botulinum_last_date": None,
        "botulinum_product": "",
        "botulinum_reactions": [],
        "last_resurfacing_date": None,
        "pregnancy": "not_pregnant",
        "breastfeeding": False,
        "planning_pregnancy": False,
        "neuromuscular": [],
        "other_conditions": [],
        "allergies": [],
        "allergy_details": "",
        "medications": [],
        "medication_details": "",
        "upcoming_event_date": None,
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }

"""The rules of spec §2 as data: one `Rule` per row of the spec's table, in its order.

Each rule has its texts in both languages, the answers it reads (shown to the doctor as what set it
off) and its test, built from `conditions`. Changing any of this can change a stored result: bump
`intake.screening.RULESET_VERSION` with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from intake.bilingual import Text
from intake.screening.conditions import (
    Answers,
    age_at_least,
    age_under,
    always,
    both,
    chose,
    either,
    is_one_of,
    recorded_toxin_not_reported,
    recorded_toxin_within_days_before,
    within_days_after,
    within_days_before,
    yes,
)

CONTRAINDICATION = "contraindication"
REVIEW = "review"
CAUTION = "caution"
INFO = "info"
SEVERITIES = (CONTRAINDICATION, REVIEW, CAUTION, INFO)  # strongest first
# A decision needs the doctor's explicit acknowledgement of every flag of these severities.
ACKNOWLEDGED_SEVERITIES = (CONTRAINDICATION, REVIEW)


@dataclass(frozen=True, slots=True)
class Flag:
    code: str
    severity: str
    source: str
    title: Text
    clinician_note: Text
    patient_note: Text | None
    keys: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "title": self.title.as_dict(),
            "clinician_note": self.clinician_note.as_dict(),
            "patient_note": self.patient_note.as_dict() if self.patient_note else None,
        }


@dataclass(frozen=True)
class Rule:
    """One rule of the spec's table: its texts, the answers it reads and its test."""

    code: str
    severity: str
    source: str
    title: Text
    clinician_note: Text
    patient_note: Text | None
    keys: tuple[str, ...]  # the answers the rule reads: shown to the doctor as what set it off
    test: Callable[[Answers], bool]
    # For a patient note that depends on one answer: {that answer's value: note}. Any other value
    # (or none) gets `patient_note`.
    patient_note_depends_on: str | None = None
    patient_note_variants: Mapping[str, Text] = field(default_factory=dict)
    _flag: Flag = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flag = Flag(
            self.code,
            self.severity,
            self.source,
            self.title,
            self.clinician_note,
            self.patient_note,
            self.keys,
        )
        object.__setattr__(self, "_flag", flag)

    def patient_note_for(self, answers: Answers) -> Text | None:
        if self.patient_note_depends_on is None:
            return self.patient_note
        value = answers.values.get(self.patient_note_depends_on)
        return self.patient_note_variants.get(value, self.patient_note)

    def flag_for(self, answers: Answers) -> Flag:
        if self.patient_note_depends_on is None:
            return self._flag  # built once: most flags cost nothing per screening
        flag = self._flag
        return Flag(
            flag.code,
            flag.severity,
            flag.source,
            flag.title,
            flag.clinician_note,
            self.patient_note_for(answers),
            flag.keys,
        )


_PREGNANCY_WOMEN = Text(
    ja="施術後、月経が2回来るまでは妊娠を避けてください。",
    en="After the treatment, please avoid pregnancy until you have had two menstrual periods.",
)
_PREGNANCY_MEN = Text(
    ja="施術後3か月間は、パートナーが妊娠しないよう避妊してください。",
    en="For 3 months after the treatment, please use contraception so that your partner does "
    "not become pregnant.",
)

RULES: tuple[Rule, ...] = (
    Rule(
        code="BONT_ALLERGY",
        severity=CONTRAINDICATION,
        source="JP 禁忌, US",
        title=Text(
            ja="ボツリヌス製剤またはその成分へのアレルギー",
            en="Allergy to botulinum toxin or an ingredient",
        ),
        clinician_note=Text(
            ja="ボツリヌス毒素製剤、その添加物（ヒト血清アルブミン）への過敏症、または過去の"
            "ボツリヌス施術でのアレルギー反応の申告あり。国内添付文書・米国添付文書とも禁忌のため、"
            "今回は施術しない（製剤を替えても避ける）。反応の内容・時期・製剤名を確認して記録する。",
            en="Reports hypersensitivity to a botulinum toxin product or its excipient (human "
            "serum albumin), or an allergic reaction to a previous toxin treatment. "
            "Contraindicated in the Japanese package insert and the US labels: do not treat at "
            "this visit, with any product. Record the reaction, when it happened and the product.",
        ),
        patient_note=None,
        keys=("allergies", "botulinum_reactions"),
        test=either(
            chose("allergies", "botulinum_toxin", "human_albumin"),
            chose("botulinum_reactions", "allergy"),
        ),
    ),
    Rule(
        code="NEUROMUSCULAR_JUNCTION",
        severity=CONTRAINDICATION,
        source="JP 禁忌, US warning",
        title=Text(
            ja="神経筋接合部の病気（重症筋無力症・ランバート・イートン症候群・ALS）",
            en="Neuromuscular junction disease (myasthenia gravis, Lambert-Eaton, ALS)",
        ),
        clinician_note=Text(
            ja="重症筋無力症、ランバート・イートン症候群または筋萎縮性側索硬化症の申告あり。"
            "筋力低下の増悪や重篤な嚥下障害・呼吸障害のおそれがあり、国内添付文書で禁忌"
            "（米国添付文書でも警告）。微量の皮内投与でも施術しない。",
            en="Reports myasthenia gravis, Lambert-Eaton syndrome or ALS. Toxin can worsen "
            "weakness and cause severe dysphagia or respiratory compromise: contraindicated in the "
            "Japanese package insert, a warning in the US labels. Do not treat, even with small "
            "intradermal doses.",
        ),
        patient_note=None,
        keys=("neuromuscular",),
        test=chose("neuromuscular", "myasthenia_gravis", "lambert_eaton", "als"),
    ),
    Rule(
        code="PREGNANCY_BREASTFEEDING",
        severity=CONTRAINDICATION,
        source="JP 禁忌",
        title=Text(
            ja="妊娠中・妊娠の可能性あり・授乳中",
            en="Pregnant, possibly pregnant or breastfeeding",
        ),
        clinician_note=Text(
            ja="妊娠中、妊娠の可能性あり、または授乳中の申告あり。国内添付文書で禁忌（妊婦・"
            "授乳婦での安全性は確立していない）。美容目的の施術は妊娠・授乳の終了後に再予約する。",
            en="Reports pregnancy, possible pregnancy or breastfeeding. Contraindicated in the "
            "Japanese package insert (safety not established); a cosmetic treatment waits. Rebook "
            "after pregnancy and breastfeeding.",
        ),
        patient_note=Text(
            ja="妊娠中・授乳中の方、妊娠している可能性がある方には、この施術を行いません。"
            "妊娠・授乳が終わってから、または妊娠していないことがわかってから、改めてご予約ください。",
            en="This treatment is not given during pregnancy or breastfeeding, or while you may "
            "be pregnant. Please book again once pregnancy and breastfeeding are over, or once "
            "you know that you are not pregnant.",
        ),
        keys=("pregnancy", "breastfeeding"),
        test=either(is_one_of("pregnancy", "pregnant", "possibly_pregnant"), yes("breastfeeding")),
    ),
    Rule(
        code="SITE_INFECTION",
        severity=CONTRAINDICATION,
        source="US, JP",
        title=Text(
            ja="施術部位の感染・口唇ヘルペス・傷",
            en="Infection, cold sore or wound at the treatment site",
        ),
        clinician_note=Text(
            ja="施術予定部位に化膿・感染、口唇ヘルペスまたは傷がある。注射部位の感染は米国添付"
            "文書で禁忌。穿刺による感染の拡大やヘルペスの再燃のおそれがあるため、治癒を確認して"
            "から再予約する。ヘルペスを繰り返す場合は抗ウイルス薬の予防投与を検討。",
            en="Infection, cold sore or open wound in the area to be treated. Injection-site "
            "infection is a contraindication in the US labels; needling can spread infection or "
            "reactivate herpes. Rebook once healed; consider antiviral prophylaxis if cold sores "
            "recur.",
        ),
        patient_note=Text(
            ja="施術する部分に化膿・口唇ヘルペス・傷があるうちは、施術を行いません。ご予約日までに"
            "治りそうにないときは、当院にお電話ください。治った後の日にご予約をお取り直しします。",
            en="No treatment is given while there is pus, a cold sore or a wound in the area to "
            "be treated. If it will not have healed by your appointment, please call the clinic: "
            "we will move your appointment to a day after it has healed.",
        ),
        keys=("skin_problems_now",),
        test=chose("skin_problems_now", "infection", "cold_sore", "open_wound"),
    ),
    Rule(
        code="UNDER_18",
        severity=CONTRAINDICATION,
        source="US, JP (adults only)",
        title=Text(ja="18歳未満", en="Under 18"),
        clinician_note=Text(
            ja="来院日（未定なら回答日）に18歳未満。美容目的のボツリヌス施術は成人のみが対象で、"
            "18歳未満での安全性・有効性は国内外の添付文書で確立していない。施術しない。",
            en="Under 18 on the visit date (or the screening date when no visit is booked). "
            "Cosmetic toxin treatment is for adults only; safety and efficacy under 18 are not "
            "established in the Japanese or US labels. Do not treat.",
        ),
        patient_note=None,
        keys=("date_of_birth",),
        test=age_under(18),
    ),
    Rule(
        code="RECENT_TOXIN",
        severity=REVIEW,
        source="JP (≥ 3 months apart), S1 (maintenance every 2–3 months)",
        title=Text(
            ja="前回のボツリヌス施術から3か月未満",
            en="Last toxin treatment less than 3 months ago",
        ),
        clinician_note=Text(
            ja="前回のボツリヌス施術（患者の回答と当院の施術記録のうち新しいほう）から来院日まで"
            "90日未満。国内添付文書は3か月以上の間隔を求め、短い間隔での反復投与は中和抗体による"
            "効果減弱のおそれがある。S1はマイクロボトックスの維持を2〜3か月ごととするが、患者への"
            "案内は添付文書に合わせて「前回から3か月以上」で統一している。前回の部位・製剤・単位数を"
            "確認し、施術時期を判断する。",
            en="Less than 90 days from the last toxin treatment (the later of the patient's "
            "answer and the clinic's own records) to the visit. The Japanese package insert asks "
            "for at least 3 months between treatments; frequent dosing raises the risk of "
            "neutralising antibodies and loss of effect. S1 maintains micro-Botox every 2-3 "
            "months, but patients are told 'at least 3 months since the last one', as the label "
            "says. Check the last area, product and units, then decide the timing.",
        ),
        patient_note=Text(
            ja="前回のボツリヌス治療からご来院日までが3か月未満です。今回の施術の時期は、医師が"
            "判断してお伝えします。",
            en="Your last botulinum toxin treatment was less than 3 months before your visit. "
            "The doctor will decide when to treat you this time, and tell you.",
        ),
        keys=("botulinum_last_date",),
        # The patient's memory or the clinic's record, whichever is more recent.
        test=either(
            within_days_before("botulinum_last_date", 90), recorded_toxin_within_days_before(90)
        ),
    ),
    Rule(
        code="PRIOR_TOXIN_REACTION",
        severity=REVIEW,
        source="US",
        title=Text(
            ja="過去のボツリヌス施術での副作用",
            en="Side effect after a previous toxin treatment",
        ),
        clinician_note=Text(
            ja="過去の施術でまぶた・眉の下垂、飲み込みにくさ・息苦しさ、またはその他の副作用の"
            "申告あり。米国添付文書は毒素の遠隔への拡散による嚥下・呼吸障害を警告している。"
            "内容・時期・製剤・部位・用量を確認し、施術の可否と注入部位・用量を判断する。",
            en="Reports drooping eyelid or brow, difficulty swallowing or breathing, or another "
            "side effect after a previous treatment. The US labels warn of distant spread of "
            "toxin effect with dysphagia and breathing difficulty. Check what happened, when, the "
            "product, area and dose; decide whether to treat and where.",
        ),
        patient_note=None,
        keys=("botulinum_reactions",),
        test=chose("botulinum_reactions", "drooping", "swallowing_breathing", "other"),
    ),
    Rule(
        code="OTHER_NEUROMUSCULAR",
        severity=REVIEW,
        source="US",
        title=Text(ja="その他の神経・筋肉の病気", en="Other neuromuscular disease"),
        clinician_note=Text(
            ja="重症筋無力症・ランバート・イートン症候群・ALS以外の神経・筋疾患の申告あり。米国"
            "添付文書：神経筋疾患のある患者では通常量でも重篤な嚥下障害・呼吸障害のおそれがある。"
            "病名・重症度・主治医を確認し、必要なら主治医に照会する。",
            en="Reports a neuromuscular disease other than myasthenia gravis, Lambert-Eaton or "
            "ALS. The US labels warn that such patients are at higher risk of severe dysphagia and "
            "respiratory compromise even at usual doses. Check the diagnosis, severity and "
            "treating doctor; ask them if needed.",
        ),
        patient_note=None,
        keys=("neuromuscular",),
        test=chose("neuromuscular", "other_neuromuscular"),
    ),
    Rule(
        code="RESPIRATORY_SWALLOWING",
        severity=REVIEW,
        source="US, JP 9.1 特定の背景を有する患者",
        title=Text(
            ja="慢性の呼吸器疾患・飲み込みにくさ",
            en="Chronic respiratory disease or difficulty swallowing",
        ),
        clinician_note=Text(
            ja="喘息・COPDなどの慢性呼吸器疾患、または飲み込みにくさの申告あり。国内添付文書は"
            "慢性の呼吸器障害のある患者を「特定の背景を有する患者に関する注意」（9.1 合併症・"
            "既往歴等のある患者）に挙げ、米国添付文書は既存の嚥下・呼吸障害の増悪を警告している。"
            "現在の症状とコントロール状況、入院歴を確認する。",
            en="Reports asthma, COPD or another chronic lung disease, or difficulty swallowing. "
            "The Japanese package insert lists chronic respiratory disease under 'precautions for "
            "patients with specific backgrounds' (9.1, patients with complications or a history); "
            "the US labels warn that existing swallowing or breathing problems can worsen. "
            "Check current symptoms, control and any admissions.",
        ),
        patient_note=None,
        keys=("other_conditions",),
        test=chose("other_conditions", "asthma_copd", "swallowing_difficulty"),
    ),
    Rule(
        code="GLAUCOMA",
        severity=REVIEW,
        source="JP 9.1 特定の背景を有する患者",
        title=Text(ja="緑内障", en="Glaucoma"),
        clinician_note=Text(
            ja="緑内障の申告あり。国内添付文書は閉塞隅角緑内障またはその素因（狭隅角など）の"
            "ある患者を「特定の背景を有する患者に関する注意」（9.1 合併症・既往歴等のある患者）に"
            "挙げている（抗コリン作用による急性緑内障発作のおそれ）。病型と治療状況を確認し、"
            "眼の周囲への注入は避けるか控えめにする。",
            en="Reports glaucoma. The Japanese package insert lists angle-closure glaucoma or a "
            "predisposition to it (a narrow angle) under 'precautions for patients with specific "
            "backgrounds' (9.1, patients with complications or a history): the anticholinergic "
            "effect may trigger acute angle closure. Check the type and treatment; avoid or limit "
            "injections near the eyes.",
        ),
        patient_note=None,
        keys=("other_conditions",),
        test=chose("other_conditions", "glaucoma"),
    ),
    Rule(
        code="BLEEDING_DISORDER",
        severity=REVIEW,
        source="US",
        title=Text(ja="血が止まりにくい病気", en="Bleeding disorder"),
        clinician_note=Text(
            ja="出血性疾患の申告あり。多数の皮内注射を行うため、内出血・血腫が起こりやすい。"
            "病名・重症度・治療状況を確認し、必要なら主治医に確認する。",
            en="Reports a bleeding disorder. Many intradermal injections mean a higher risk of "
            "bruising and haematoma. Check the diagnosis, severity and treatment; ask the "
            "treating doctor if needed.",
        ),
        patient_note=None,
        keys=("other_conditions",),
        test=chose("other_conditions", "bleeding_disorder"),
    ),
    Rule(
        code="MILK_ALLERGY",
        severity=REVIEW,
        source="US (abobotulinumtoxinA)",
        title=Text(ja="牛乳タンパクアレルギー", en="Cow's milk protein allergy"),
        clinician_note=Text(
            ja="牛乳タンパクアレルギーの申告あり。アボボツリヌストキシンA（ディスポート）は"
            "牛乳タンパクを含みうるため、米国添付文書で禁忌。使用予定の製剤の添加物を確認し、"
            "該当製剤は使わない。アナフィラキシーの既往も確認する。",
            en="Reports cow's milk protein allergy. AbobotulinumtoxinA (Dysport) may contain "
            "traces of milk protein and is contraindicated in its US label. Check the excipients "
            "of the product to be used and avoid that product; ask about anaphylaxis.",
        ),
        patient_note=None,
        keys=("allergies",),
        test=chose("allergies", "cow_milk_protein"),
    ),
    Rule(
        code="LIDOCAINE_ALLERGY",
        severity=REVIEW,
        source="P",
        title=Text(ja="リドカイン（麻酔薬）アレルギー", en="Lidocaine allergy"),
        clinician_note=Text(
            ja="リドカインへのアレルギーの申告あり。マイクロボトックスの希釈液や表面麻酔クリームに"
            "リドカインを用いることがある（P）。希釈は生理食塩水のみとし、麻酔薬の成分を確認する。"
            "反応の内容（真のアレルギーか迷走神経反射か）を確認する。",
            en="Reports lidocaine allergy. Micro-Botox dilutions and numbing creams may contain "
            "lidocaine (P). Dilute with saline only and check any anaesthetic used. Ask what "
            "happened (true allergy or a vasovagal reaction).",
        ),
        patient_note=None,
        keys=("allergies",),
        test=chose("allergies", "lidocaine"),
    ),
    Rule(
        code="NMJ_DRUGS",
        severity=REVIEW,
        source="US §7, JP",
        title=Text(
            ja="ボツリヌス毒素の作用を強める薬",
            en="Medicines that can strengthen the toxin's effect",
        ),
        clinician_note=Text(
            ja="アミノグリコシド系抗菌薬、筋弛緩薬、抗コリン薬、精神安定剤・睡眠薬の使用申告あり。"
            "神経筋伝達を抑え、毒素の作用を増強するおそれがある（米国添付文書 §7、国内添付文書の"
            "併用注意）。薬剤名・用量・期間を確認し、アミノグリコシド投与中なら終了後への延期を検討。",
            en="Reports an aminoglycoside, muscle relaxant, anticholinergic, or tranquilliser or "
            "sleeping pill. These can potentiate the toxin by impairing neuromuscular "
            "transmission (US labels §7, Japanese package insert). Check the names, doses and "
            "duration; consider waiting until an aminoglycoside course is over.",
        ),
        patient_note=Text(
            ja="お使いのお薬の中に、ボツリヌス製剤の効き方に影響するものがある可能性があります。"
            "お薬の名前がわかるもの（お薬手帳など）を、ご来院時にお持ちください。",
            en="One of your medicines may change how the botulinum toxin works. Please bring "
            "something that shows their names (for example, your medicine notebook) to your "
            "visit.",
        ),
        keys=("medications",),
        test=chose(
            "medications", "aminoglycoside", "muscle_relaxant", "anticholinergic", "tranquilizer"
        ),
    ),
    Rule(
        code="AGE_65_PLUS",
        severity=REVIEW,
        source="JP (dosing for adults under 65)",
        title=Text(ja="65歳以上", en="Aged 65 or over"),
        clinician_note=Text(
            ja="来院日（未定なら回答日）に65歳以上。国内の承認用法は65歳未満の成人が対象で、"
            "65歳以上での安全性・有効性は確立していない。併存疾患・服薬・皮膚の菲薄化を確認する。",
            en="Aged 65 or over on the visit date (or the screening date when no visit is "
            "booked). Japanese dosing is approved for adults under 65; safety and efficacy above "
            "are not established. Check other conditions, medicines and skin thinning.",
        ),
        patient_note=None,
        keys=("date_of_birth",),
        test=age_at_least(65),
    ),
    Rule(
        code="ISOTRETINOIN_CURRENT",
        severity=REVIEW,
        source="P (2017 consensus, extrapolated)",
        title=Text(ja="イソトレチノイン内服中", en="Taking oral isotretinoin"),
        clinician_note=Text(
            ja="イソトレチノインを内服中。2017年の専門家コンセンサス（Spring ら、JAMA "
            "Dermatol）は、内服中の表在的な処置を"
            "遅らせる十分な根拠はないとするが、注射についての直接のデータはない（外挿）。"
            "皮膚の乾燥・脆弱性を確認し、用量・開始時期・処方医を確認する。催奇形性があるため"
            "妊娠の有無も確認する。",
            en="Currently taking oral isotretinoin. The 2017 consensus (Spring et al., JAMA "
            "Dermatol) found no sufficient "
            "evidence to delay superficial procedures during treatment; there are no direct data "
            "for injections (extrapolated). Check skin dryness and fragility, the dose, start "
            "date and prescriber; it is teratogenic, so confirm pregnancy status.",
        ),
        patient_note=Text(
            ja="飲んでいるイソトレチノインの量（1日あたりのmg数）を、医師にお伝えください。",
            en="Please tell the doctor how much isotretinoin you take (mg per day).",
        ),
        keys=("isotretinoin",),
        test=is_one_of("isotretinoin", "current"),
    ),
    Rule(
        code="RETINOID_IRRITATION",
        severity=REVIEW,
        source="S2",
        title=Text(
            ja="レチノイド外用による肌の刺激",
            en="Skin irritation from a topical retinoid",
        ),
        clinician_note=Text(
            ja="レチノイド外用中で、現在その刺激症状（赤み・皮むけ・乾燥・かゆみ・ヒリヒリ感・"
            "使い始めの一時的なニキビの悪化）がある。S2：使い始めの刺激やニキビの一時的な悪化"
            "（S2の言う purge）があれば、注入治療の前に相談が必要。刺激のある皮膚には注入しない。"
            "診察で施術部位を確認し、外用を中止して落ち着いてから施術する。",
            en="Uses a topical retinoid and has irritation from it now (redness, peeling, "
            "dryness, itching, burning, or acne worse for a while after starting). S2: "
            "irritation or a temporary worsening of acne after starting a retinoid (S2's "
            "'purge') should be discussed before any injectable. Do not inject irritated skin; "
            "examine the area and treat once the skin has settled off the retinoid.",
        ),
        patient_note=Text(
            ja="レチノイドで赤みや皮むけなどの刺激が出ている部分には、注射を行いません。刺激が"
            "おさまっているかどうかを、ご来院時に医師が確認します。",
            en="Skin irritated by a retinoid (redness, peeling and the like) is not injected. At "
            "your visit, the doctor will check whether the irritation has settled.",
        ),
        keys=("topical_retinoids", "retinoid_irritation"),
        test=both(chose("topical_retinoids"), chose("retinoid_irritation")),
    ),
    Rule(
        code="SKIN_FLARE",
        severity=REVIEW,
        source="C",
        title=Text(
            ja="施術部位の湿疹・皮膚炎・強い赤み",
            en="Dermatitis, eczema flare or irritated skin at the treatment site",
        ),
        clinician_note=Text(
            ja="施術予定部位に湿疹・皮膚炎・乾癬の悪化、または強い赤み・皮むけがある（C）。"
            "炎症のある皮膚への注射は悪化（ケブネル現象を含む）や感染のおそれがある。原因と範囲を"
            "診察で確認し、落ち着くまで延期を検討する。",
            en="Dermatitis, eczema, a psoriasis flare, or marked redness or peeling in the area "
            "to be treated (C). Injecting inflamed skin can worsen it (including Koebner "
            "reaction) or let infection in. Examine the cause and extent; consider waiting until "
            "it settles.",
        ),
        patient_note=Text(
            ja="施術する部分に湿疹や強い赤みがあるため、刺激の強い化粧品やスキンケア（ピーリング剤"
            "など）はお休みください。処方されたお薬は指示どおりお続けください。炎症が落ち着くまで、"
            "施術を延期することがあります。",
            en="As there is eczema or strong redness in the area to be treated, please pause "
            "irritating cosmetics and skin care (such as peels); keep using prescribed medicine as "
            "directed. The treatment may be postponed until the inflammation settles.",
        ),
        keys=("skin_problems_now",),
        test=chose("skin_problems_now", "dermatitis", "irritation_peeling"),
    ),
    Rule(
        code="RECENT_RESURFACING",
        severity=REVIEW,
        source="C",
        title=Text(
            ja="2週間以内のレーザー・ピーリング・マイクロニードリング",
            en="Laser, peel or microneedling within 2 weeks",
        ),
        clinician_note=Text(
            ja="顔へのレーザー・ケミカルピーリング・マイクロニードリングから来院日まで14日未満"
            "（C）。上皮化が不十分な皮膚への穿刺は感染・刺激・色素沈着のおそれがある。施術内容と"
            "深さ、現在の回復状況を確認する。",
            en="Less than 14 days from a facial laser, chemical peel or microneedling to the "
            "visit (C). Needling skin that has not fully re-epithelialised risks infection, "
            "irritation and pigmentation. Check what was done, how deep, and how the skin has "
            "healed.",
        ),
        patient_note=Text(
            ja="レーザー・ピーリング・ダーマペンなどを受けた肌が十分に回復してから、施術を行います。"
            "回復の具合によっては、施術日を調整することがあります。",
            en="The treatment is given once your skin has fully healed from the laser, peel or "
            "microneedling. Depending on how it heals, the treatment day may be moved.",
        ),
        keys=("last_resurfacing_date",),
        test=within_days_before("last_resurfacing_date", 14),
    ),
    Rule(
        code="KELOID",
        severity=REVIEW,
        source="P",
        title=Text(
            ja="ケロイド・肥厚性瘢痕になりやすい",
            en="Tendency to keloids or hypertrophic scars",
        ),
        clinician_note=Text(
            ja="ケロイド・肥厚性瘢痕の既往あり（P）。細い針でも体質によっては注射痕が肥厚する"
            "ことがある。部位・誘因・現在の状態を確認し、必要なら小範囲での試験注入を検討する。",
            en="History of keloids or hypertrophic scars (P). Even fine needle marks can thicken "
            "in predisposed skin. Check the sites, triggers and current state; consider a small "
            "test area.",
        ),
        patient_note=None,
        keys=("keloid_history",),
        test=yes("keloid_history"),
    ),
    Rule(
        code="SEVERE_ACNE",
        severity=REVIEW,
        source="JDA guideline, P",
        title=Text(
            ja="重症以上のニキビ（片側21個以上）",
            en="Severe acne (21 or more inflamed spots on one side)",
        ),
        clinician_note=Text(
            ja="片側の顔の炎症性皮疹が21個以上（日本皮膚科学会 尋常性痤瘡・酒皶治療"
            "ガイドライン2023：重症21〜50、最重症51以上）。ガイドラインに沿った治療（外用薬・内服抗菌薬など）を"
            "優先すべき段階で、マイクロボトックスの痤瘡への効果の根拠は限られる（P）。保険診療での"
            "治療の必要性を評価し、炎症の強い部位への注射は避ける。",
            en="21 or more inflammatory lesions on one side of the face (Japanese Dermatological "
            "Association, Guidelines for the treatment of acne vulgaris and rosacea 2023: severe "
            "21-50, very severe 51+). Guideline treatment "
            "(topicals, oral antibiotics) comes first; evidence for micro-Botox in acne is "
            "limited (P). Assess the need for standard medical treatment; avoid injecting "
            "heavily inflamed areas.",
        ),
        patient_note=Text(
            ja="赤く腫れたニキビが多いときは、マイクロボトックスの前に、ニキビそのものの治療"
            "（保険診療の塗り薬・飲み薬など）が必要なことがあります。ご来院時に医師とご相談ください。",
            en="When there are many red, swollen spots, the acne itself may need treating first "
            "(with creams or tablets covered by health insurance, for example). Please talk it "
            "over with the doctor at your visit.",
        ),
        keys=("acne_lesion_count",),
        test=is_one_of("acne_lesion_count", "21_50", "51_plus"),
    ),
    Rule(
        code="PLANNING_PREGNANCY",
        severity=REVIEW,
        source="JP (contraception after the last dose)",
        title=Text(
            ja="3か月以内に妊娠を計画（本人またはパートナー）",
            en="Planning a pregnancy within 3 months (patient or partner)",
        ),
        clinician_note=Text(
            ja="本人またはパートナーが3か月以内の妊娠を計画。国内添付文書：妊娠する可能性のある"
            "女性は投与後2回の月経を経るまで、男性は投与後少なくとも3か月は避妊する。計画の時期を"
            "確認し、今回施術するか延期するかを来院前に判断して、避妊について説明する。",
            en="The patient or their partner plans a pregnancy within 3 months. Japanese package "
            "insert: women of childbearing potential avoid pregnancy until two menstrual periods "
            "after treatment, men for at least 3 months. Check the timing; decide before the "
            "visit whether to treat now or postpone, and advise on contraception.",
        ),
        patient_note=Text(
            ja=f"女性の方：{_PREGNANCY_WOMEN.ja}男性の方：{_PREGNANCY_MEN.ja}",
            en=f"Women: {_PREGNANCY_WOMEN.en} Men: {_PREGNANCY_MEN.en}",
        ),
        # The line that fits the patient's sex; both lines for other and undisclosed.
        patient_note_depends_on="sex",
        patient_note_variants={"female": _PREGNANCY_WOMEN, "male": _PREGNANCY_MEN},
        keys=("planning_pregnancy",),
        test=yes("planning_pregnancy"),
    ),
    Rule(
        code="RECORD_MISMATCH",
        severity=REVIEW,
        source="C (the clinic's own record outranks recall)",
        title=Text(
            ja="当院の施術記録と回答が一致しない",
            en="Answers differ from the clinic's treatment record",
        ),
        clinician_note=Text(
            ja="当院は来院日より前にこの患者へのボツリヌス施術を記録しているが、回答は「受けた"
            "ことがない」、または前回の施術日が当院の記録より前になっている（C）。施術間隔の判定"
            "には当院の記録も用いている。施術歴を患者と確認し、この問診が正しい患者記録に"
            "紐づいているかも確かめる。",
            en="The clinic has recorded a botulinum toxin treatment for this patient before the "
            "visit, but the answers say there was none, or give a last treatment date earlier "
            "than the clinic's record (C). The interval check uses the clinic's record too. Go "
            "through the treatment history with the patient, and check that this intake is "
            "linked to the right patient.",
        ),
        patient_note=None,
        keys=("botulinum_before", "botulinum_last_date"),
        test=recorded_toxin_not_reported("botulinum_before", "botulinum_last_date"),
    ),
    Rule(
        code="TOPICAL_RETINOID",
        severity=CAUTION,
        source="S2",
        title=Text(ja="レチノイド外用中", en="Using a topical retinoid"),
        clinician_note=Text(
            ja="レチノイド（トレチノイン・アダパレン・タザロテン・レチノールなど）を外用中。"
            "作用する深さが異なり併用は一般に安全とされるが、施術の数日前からの中止を求めることが"
            "ある（S2）。刺激症状の有無を確認し、施術前後の休薬とアフターケアを指示する。",
            en="Uses a topical retinoid (tretinoin, adapalene, tazarotene, retinol or other). "
            "Generally considered safe with toxin, as they act at different depths, but patients "
            "may be asked to stop it a few days before (S2). Check for irritation; advise a pause "
            "around the injections and aftercare.",
        ),
        patient_note=Text(
            ja="お使いのレチノイド（ビタミンA系）の塗り薬・化粧品の名前を、医師にお伝えください。"
            "注射の前後数日間、使用をお休みいただくことがあります。",
            en="Please tell the doctor the name of the retinoid (vitamin A) cream or cosmetic you "
            "use; you may be asked to stop it for a few days before and after the injections.",
        ),
        keys=("topical_retinoids",),
        test=chose("topical_retinoids"),
    ),
    Rule(
        code="RETINOID_RECENT_START",
        severity=CAUTION,
        source="S2",
        title=Text(
            ja="レチノイド外用を始めて4週未満",
            en="Topical retinoid started less than 4 weeks ago",
        ),
        clinician_note=Text(
            ja="現在のレチノイド外用の開始から来院日まで28日未満。使い始めは刺激（レチノイド"
            "皮膚炎、一時的なニキビの悪化）が出やすく、刺激があれば注入の前に相談が必要（S2）。"
            "当日の皮膚の状態を確認する。",
            en="Less than 28 days from starting the current topical retinoid to the visit. "
            "Irritation (retinoid dermatitis, a temporary worsening of acne) is common early on "
            "and should be discussed before injecting (S2). Check the skin on the day.",
        ),
        patient_note=Text(
            ja="レチノイドを使い始めて4週間たっていないため、肌がまだ慣れていない可能性があります。"
            "ご来院までに赤みや皮むけなどの刺激が出てきたら、当院にご連絡ください。",
            en="You started the retinoid less than 4 weeks ago, so your skin may still be "
            "adjusting. If redness, peeling or other irritation appears before your visit, please "
            "contact the clinic.",
        ),
        keys=("topical_retinoids", "topical_retinoid_started"),
        test=both(chose("topical_retinoids"), within_days_before("topical_retinoid_started", 28)),
    ),
    Rule(
        code="ISOTRETINOIN_RECENT",
        severity=CAUTION,
        source="P (no evidence to delay superficial procedures; skin may be dry and fragile)",
        title=Text(
            ja="イソトレチノイン内服終了から6か月未満",
            en="Oral isotretinoin stopped less than 6 months ago",
        ),
        clinician_note=Text(
            ja="イソトレチノイン内服の終了から来院日まで182日未満。表在的な処置を遅らせる根拠は"
            "ない（P）が、皮膚の乾燥・脆弱性が残ることがある。皮膚の状態を確認し、保湿を指導する。",
            en="Less than 182 days from the last isotretinoin dose to the visit. There is no "
            "evidence to delay superficial procedures (P), but the skin may still be dry and "
            "fragile. Check the skin and advise moisturising.",
        ),
        patient_note=None,
        keys=("isotretinoin", "isotretinoin_last_dose"),
        test=both(
            is_one_of("isotretinoin", "past"), within_days_before("isotretinoin_last_dose", 182)
        ),
    ),
    Rule(
        code="ANTICOAGULANT",
        severity=CAUTION,
        source="C",
        title=Text(
            ja="抗凝固薬・抗血小板薬を服用中",
            en="Taking an anticoagulant or antiplatelet medicine",
        ),
        clinician_note=Text(
            ja="処方の抗凝固薬・抗血小板薬を服用中（C）。内出血が起こりやすい。血栓症のリスクが"
            "あるため自己判断で中止させない（中止の要否は処方医が判断）。薬剤名を確認し、細い針と"
            "圧迫止血で対応する。",
            en="Takes a prescribed anticoagulant or antiplatelet (C). Bruising is more likely. "
            "Do not let the patient stop it on their own (thrombosis risk; only the prescriber "
            "decides). Check the drug; use fine needles and pressure.",
        ),
        patient_note=Text(
            ja="血液をサラサラにするお薬の影響で、施術後に内出血が起こりやすくなります。お薬は"
            "自己判断で中止せず、処方した医師の指示どおり続けてください。",
            en="Your blood-thinning medicine makes bruising after the treatment more likely. Do "
            "not stop it on your own: keep taking it as the prescribing doctor told you.",
        ),
        keys=("medications",),
        test=chose("medications", "anticoagulant"),
    ),
    Rule(
        code="OTC_BLOOD_THINNING",
        severity=CAUTION,
        source="C",
        title=Text(
            ja="出血しやすくなる市販薬・サプリメント",
            en="Over-the-counter medicines or supplements that increase bleeding",
        ),
        clinician_note=Text(
            ja="市販の鎮痛薬（アスピリン・NSAIDs）、魚油、ビタミンE、イチョウ葉などを使用中（C）。"
            "出血傾向が強まり内出血の原因になる。医学的に必要なものでなければ、施術の数日〜1週間"
            "前からの中止を勧める。",
            en="Takes over-the-counter painkillers (aspirin, NSAIDs), fish oil, vitamin E or "
            "ginkgo (C). These increase bruising. If not medically needed, advise pausing them "
            "for a few days to a week before the treatment.",
        ),
        patient_note=Text(
            ja="市販の痛み止め（ロキソニンS・バファリンA・イブなど）や、EPA・DHA・ビタミンE・"
            "イチョウ葉のサプリメントは、内出血を起こしやすくします。医師の指示で飲んでいるもので"
            "なければ、施術の数日前からお休みください。",
            en="Over-the-counter painkillers (Loxonin S, Bufferin A, EVE…) and EPA, DHA, vitamin "
            "E or ginkgo supplements make bruising more likely. Unless a doctor told you to take "
            "them, please pause them for a few days before the treatment.",
        ),
        keys=("medications",),
        test=chose("medications", "otc_blood_thinning"),
    ),
    Rule(
        code="UPCOMING_EVENT",
        severity=CAUTION,
        source="C, S1",
        title=Text(
            ja="2週間以内に大切な予定",
            en="Important event within 2 weeks",
        ),
        clinician_note=Text(
            ja="来院日から14日未満に大切な予定（結婚式・撮影など）がある（C、S1）。赤み・腫れ・"
            "内出血が数日続くことがあり、効果が出るまでにも数日〜2週間かかる。予定日を確認し、"
            "施術日の調整を相談する。",
            en="An important event (wedding, photos) less than 14 days after the visit (C, S1). "
            "Redness, swelling or bruising can last days, and the effect takes days to two weeks "
            "to show. Check the date; discuss moving the treatment.",
        ),
        patient_note=Text(
            ja="施術後の赤み・腫れや内出血が、大切なご予定の日まで残ることがあります。ご予定の"
            "2週間以上前に施術を受けることをおすすめします。日程の変更は当院にご相談ください。",
            en="Redness, swelling or bruising after the treatment may still show on the day of "
            "your important event. We recommend having the treatment at least two weeks before "
            "it; please ask the clinic if you would like to change the date.",
        ),
        keys=("upcoming_event_date",),
        test=within_days_after("upcoming_event_date", 14),
    ),
    Rule(
        code="DRY_SKIN",
        severity=CAUTION,
        source="S1",
        title=Text(ja="乾燥肌", en="Dry skin"),
        clinician_note=Text(
            ja="乾燥肌。皮脂分泌の抑制で乾燥が強まることがある（S1）。皮脂・毛穴への効果も"
            "得にくい。保湿を指導し、注入範囲・用量を控えめにする。",
            en="Dry skin. Reducing sebum can make it drier (S1), and the sebum and pore benefit "
            "is smaller. Advise moisturising; keep the area and dose modest.",
        ),
        patient_note=Text(
            ja="乾燥肌の方は、施術で皮脂が減ると、さらに乾燥しやすくなることがあります。保湿剤を"
            "いつもより念入りにお使いください。",
            en="With dry skin, the reduced sebum after the treatment can make it drier still. "
            "Please use your moisturiser more thoroughly than usual.",
        ),
        keys=("skin_type",),
        test=is_one_of("skin_type", "dry"),
    ),
    Rule(
        code="SENSITIVE_SKIN",
        severity=CAUTION,
        source="S1",
        title=Text(ja="敏感肌", en="Sensitive skin"),
        clinician_note=Text(
            ja="敏感肌。注入後の一時的な赤み・腫れが出やすい（S1）。スキンケアへの反応歴や"
            "酒さ・アトピー性皮膚炎の有無を確認する。",
            en="Sensitive skin. Temporary redness and swelling after injection are more likely "
            "(S1). Ask about reactions to skin care, rosacea and atopic dermatitis.",
        ),
        patient_note=Text(
            ja="敏感肌の方は、施術後の一時的な赤みや腫れが出やすい傾向があります。",
            en="With sensitive skin, temporary redness and swelling after the treatment are more "
            "likely.",
        ),
        keys=("skin_type",),
        test=is_one_of("skin_type", "sensitive"),
    ),
    Rule(
        code="IMMUNOSUPPRESSED",
        severity=CAUTION,
        source="C",
        title=Text(ja="免疫の病気・免疫抑制", en="Immune disease or immunosuppression"),
        clinician_note=Text(
            ja="免疫の病気または免疫抑制状態（C）。多数の穿刺による感染や治癒の遅れのおそれがある。"
            "病名と、免疫抑制薬・生物学的製剤・ステロイドの使用を確認し、清潔操作を徹底する。",
            en="Immune disease or immunosuppression (C). Many punctures mean a higher risk of "
            "infection and slower healing. Check the diagnosis and any immunosuppressants, "
            "biologics or steroids; keep strict asepsis.",
        ),
        patient_note=None,
        keys=("other_conditions",),
        test=chose("other_conditions", "immunosuppressed"),
    ),
    Rule(
        code="OFF_LABEL",
        severity=INFO,
        source="JP",
        title=Text(ja="適応外使用", en="Off-label use"),
        clinician_note=Text(
            ja="国内で承認されたA型ボツリヌス毒素製剤のうち、ボトックスとゼオマインは医療用途"
            "（眼瞼痙攣・痙縮など）の承認で、美容目的で承認されているのはボトックスビスタのみ"
            "（65歳未満の成人の眉間・目尻の表情じわへの筋肉内投与）。マイクロボトックス（希釈・"
            "皮内投与）はどの製剤でも適応外使用。輸入製剤（ナボタ・ボツラックス・コアトックスなど）"
            "は国内未承認医薬品（医師の個人輸入）で、医薬品副作用被害救済制度の対象外。適応外使用も"
            "対象外となりうる。施術前に、適応外使用・未承認医薬品であること、国内の承認製剤、救済"
            "制度、効果の個人差と根拠の限界、自由診療であること、断れることを説明し、使用製剤と"
            "施術への同意を記録する。",
            en="Of the type A botulinum toxins approved in Japan, Botox and Xeomin are approved "
            "for medical uses (blepharospasm, spasticity and others); Botox Vista is the only one "
            "approved for cosmetic use (intramuscular, glabellar and crow's-feet lines, adults "
            "under 65). Micro-Botox (diluted, intradermal) is off-label with every product. "
            "Imported products (Nabota, Botulax, Coretox and others) are unapproved drugs in "
            "Japan (the doctor's personal import), outside the relief system for adverse drug "
            "reactions; off-label use may fall outside it too. Before treating, explain the "
            "off-label use and any unapproved product, the approved product in Japan, the relief "
            "system, that results vary and evidence is limited, that it is self-paid, and that "
            "the patient may decline; record the product and the consent to treatment.",
        ),
        patient_note=Text(
            ja="マイクロボトックスは、国内で承認された使い方とは異なる使い方（適応外使用）をする、"
            "自由診療の施術です。国内で承認されていない輸入のお薬を使う場合もあり、国の副作用被害の"
            "救済制度の対象にならないことがあります。効果には個人差があります。施術の前に医師が"
            "これらを詳しくご説明し、施術を受けるかどうかはその後にお決めいただけます。",
            en="Micro-Botox uses a medicine in a way other than the one approved in Japan "
            "(off-label use), as private, self-paid treatment. A medicine imported without "
            "Japanese approval may be used, and the national relief system for harm from side "
            "effects may not apply. Results vary from person to person. Before the treatment, the "
            "doctor will explain all this in detail; you decide whether to have it afterwards.",
        ),
        keys=(),
        test=always,
    ),
    Rule(
        code="TOXIN_PRODUCT_UNKNOWN",
        severity=INFO,
        source="US (units not interchangeable; unapproved imports vary)",
        title=Text(
            ja="前回のボツリヌス製剤が不明・その他",
            en="Previous toxin product unknown or other",
        ),
        clinician_note=Text(
            ja="過去のボツリヌス施術の製剤名が不明、または選択肢にない製剤（その他）。製剤間で"
            "単位に互換性はなく（米国添付文書）、未承認の輸入製剤は品質・含量が一定しないことが"
            "ある。前回の製剤・単位数・部位がわかれば確認し、効果や副作用の評価に用いる。",
            en="The product of the previous toxin treatment is unknown, or not one in the list "
            "(other). Units are not interchangeable between products (US labels), and "
            "unapproved imports vary. Ask for the product, units and area if available, to "
            "judge the earlier effect and side effects.",
        ),
        patient_note=Text(
            ja="前回のボツリヌス治療で使った製剤の名前と量がわかるもの（施術記録など）があれば、"
            "ご来院時にお持ちください。",
            en="If you have something that shows the product name and dose of your previous "
            "botulinum toxin treatment (a treatment record, for example), please bring it to "
            "your visit.",
        ),
        keys=("botulinum_before", "botulinum_product"),
        test=both(
            yes("botulinum_before"),
            is_one_of("botulinum_product", None, "", "unknown", "other"),
        ),
    ),
    Rule(
        code="LIMITED_BENEFIT_SCARS",
        severity=INFO,
        source="S1, P",
        title=Text(
            ja="凹んだニキビ跡への効果は限定的",
            en="Little benefit for depressed acne scars",
        ),
        clinician_note=Text(
            ja="萎縮性瘢痕（クレーター）の改善を希望。S1は線維芽細胞への作用で凹凸が滑らかに"
            "なるとするが、マイクロボトックスが陥凹瘢痕を持ち上げるという根拠はない（P）。期待値を"
            "調整し、フラクショナルレーザー・サブシジョン・フィラーなどの選択肢を説明する。",
            en="Wants atrophic (depressed) scars improved. S1 suggests texture smooths through "
            "fibroblast modulation, but there is no evidence that micro-Botox lifts depressed "
            "scars (P). Set expectations; discuss fractional laser, subcision or fillers.",
        ),
        patient_note=Text(
            ja="マイクロボトックスで凹んだニキビ跡（クレーター）を持ち上げることはできません。"
            "ほかの治療法については、医師にご相談ください。",
            en="Micro-Botox does not lift depressed acne scars. The doctor can discuss other "
            "treatments with you.",
        ),
        keys=("concerns",),
        test=chose("concerns", "atrophic_scars"),
    ),
    Rule(
        code="LIMITED_EVIDENCE_PIGMENT",
        severity=INFO,
        source="S1, P",
        title=Text(
            ja="ニキビ跡の色素沈着への根拠は限定的",
            en="Limited evidence for acne pigmentation",
        ),
        clinician_note=Text(
            ja="ニキビ跡の色素沈着の改善を希望。マイクロボトックスの色素沈着への効果は根拠が"
            "限られる（S1は炎症を抑えることによる予防を述べるのみ、P）。期待値を説明し、外用薬や"
            "ピーリングなども検討する。",
            en="Wants post-acne pigmentation improved. Evidence for micro-Botox here is limited "
            "(S1 only suggests prevention through less inflammation; P). Set expectations; "
            "consider topicals or peels.",
        ),
        patient_note=None,
        keys=("concerns",),
        test=chose("concerns", "acne_pigmentation"),
    ),
)

RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}

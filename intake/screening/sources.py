"""The sources the rules cite, in words: the legend of spec §2 as a table beside the rules.

A rule's `source` stays as the spec writes it ("JP 禁忌, US"): a short code per source, each with
an optional detail (a section of a label, a gist in brackets). A doctor reads them through these
two tables: what each code stands for and the document (seed or label) it refers to, and each
detail in both languages. Texts only; `intake.review.selectors.source_in_words` reads them.
Every code and detail any rule set has used is here, so an intake screened under an earlier rule
set reads as well as a new one (tests/screening/test_sources.py checks the rules).
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.bilingual import Text


@dataclass(frozen=True, slots=True)
class Source:
    name: Text
    # The document itself: which seed, which label.
    refers_to: Text


SOURCES: dict[str, Source] = {
    "JP": Source(
        name=Text("国内の添付文書", "Japanese package insert"),
        refers_to=Text(
            "ボトックスビスタ注用の添付文書と患者向医薬品ガイド",
            "the package insert and patient guide of Botox Vista in Japan",
        ),
    ),
    "US": Source(
        name=Text("米国の添付文書", "US label"),
        refers_to=Text(
            "米国で承認されたボツリヌス毒素製剤の添付文書（処方情報）",
            "the prescribing information of the botulinum toxin products approved in the US",
        ),
    ),
    "S1": Source(
        name=Text("参考資料1", "Seed document 1"),
        refers_to=Text(
            "A&Oクリニック大阪中津の記事「ニキビ治療、ニキビ跡治療に対し、マイクロボトックスは"
            "有効か?」（美容皮膚科医 加藤晃司）",
            "A&O Clinic Osaka Nakatsu's article on micro-Botox for acne and acne scars "
            "(Dr Koji Kato, cosmetic dermatologist)",
        ),
    ),
    "S2": Source(
        name=Text("参考資料2", "Seed document 2"),
        refers_to=Text(
            "記事「ボトックスやその他の美容トリートメントをトレチノインと一緒に使用しても安全"
            "ですか?」（Kristin Hall, FNP 監修）",
            "the article “Is it safe to use Botox and other cosmetic treatments with "
            "tretinoin?” (medically reviewed by Kristin Hall, FNP)",
        ),
    ),
    "C": Source(
        name=Text("臨床上の慣行", "Clinical convention"),
        refers_to=Text(
            "添付文書の記載ではなく、一般的な診療上の判断",
            "common clinical practice, not a label's text",
        ),
    ),
    "P": Source(
        name=Text("公表された研究", "Published studies"),
        refers_to=Text(
            "学術論文と専門家のコンセンサス", "peer-reviewed papers and expert consensus"
        ),
    ),
    "JDA": Source(
        name=Text("日本皮膚科学会", "Japanese Dermatological Association"),
        refers_to=Text(
            "尋常性痤瘡・酒皶治療ガイドライン", "the guideline for acne vulgaris and rosacea"
        ),
    ),
}

# The detail after a code, as the rules write it (brackets taken off), in both languages.
DETAILS: dict[str, Text] = {
    "禁忌": Text("禁忌", "contraindication"),
    "慎重投与": Text("慎重投与", "careful administration"),
    "9.1 特定の背景を有する患者": Text(
        "9.1 特定の背景を有する患者", "9.1 patients with particular backgrounds"
    ),
    "warning": Text("警告", "warning"),
    "§7": Text("§7 薬物相互作用", "§7 drug interactions"),
    "guideline": Text("ガイドライン", "guideline"),
    "adults only": Text("成人のみが対象", "adults only"),
    "≥ 3 months apart": Text("投与間隔は3か月以上", "at least 3 months apart"),
    "maintenance every 2–3 months": Text(
        "維持のため2〜3か月ごとに施術", "maintenance every 2–3 months"
    ),
    "abobotulinumtoxinA": Text("アボボツリヌストキシンA", "abobotulinumtoxinA"),
    "dosing for adults under 65": Text(
        "用法・用量は65歳未満の成人が対象", "dosing for adults under 65"
    ),
    "2017 consensus, extrapolated": Text(
        "2017年のコンセンサスからの類推", "2017 consensus, extrapolated"
    ),
    "contraception after the last dose": Text(
        "最終投与後の避妊", "contraception after the last dose"
    ),
    "the clinic's own record outranks recall": Text(
        "当院の記録が患者さんの記憶より優先", "the clinic's own record outranks recall"
    ),
    "no evidence to delay superficial procedures; skin may be dry and fragile": Text(
        "表在的な処置を遅らせる根拠はない。皮膚が乾燥し傷つきやすいことがある",
        "no evidence to delay superficial procedures; skin may be dry and fragile",
    ),
    "units not interchangeable": Text("単位は製剤間で換算できない", "units not interchangeable"),
    "units not interchangeable; unapproved imports vary": Text(
        "単位は製剤間で換算できない。未承認の輸入品は品質が一定しない",
        "units not interchangeable; unapproved imports vary",
    ),
}

"""The people of the scale benchmark's intakes: names with their kana (the commonest Japanese
surnames about as often as in Japan), phones, e-mails, and reference codes, all from an index, so a
repeat intake finds the same person again without keeping them in memory."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

SEED = 20261218
PATIENT_SHARE = 40  # % of persons with a patient record

# (name, kana, weight): the commonest surnames first, about as often as in Japan.
FAMILY = (
    ("佐藤", "サトウ", 18), ("鈴木", "スズキ", 17), ("高橋", "タカハシ", 14),
    ("田中", "タナカ", 13), ("伊藤", "イトウ", 11), ("渡辺", "ワタナベ", 11),
    ("山本", "ヤマモト", 11), ("中村", "ナカムラ", 10), ("小林", "コバヤシ", 10),
    ("加藤", "カトウ", 9), ("吉田", "ヨシダ", 8), ("山田", "ヤマダ", 8),
    ("佐々木", "ササキ", 7), ("山口", "ヤマグチ", 6), ("松本", "マツモト", 6),
    ("井上", "イノウエ", 6), ("木村", "キムラ", 6), ("林", "ハヤシ", 5),
    ("斎藤", "サイトウ", 5), ("清水", "シミズ", 5), ("山崎", "ヤマザキ", 4),
    ("森", "モリ", 4), ("池田", "イケダ", 4), ("橋本", "ハシモト", 4),
    ("阿部", "アベ", 4), ("石川", "イシカワ", 4), ("前田", "マエダ", 3),
    ("藤田", "フジタ", 3), ("小川", "オガワ", 3), ("岡田", "オカダ", 3),
    ("後藤", "ゴトウ", 3), ("長谷川", "ハセガワ", 3),
)  # fmt: skip
GIVEN = (
    ("花子", "ハナコ"), ("美咲", "ミサキ"), ("陽菜", "ヒナ"), ("結衣", "ユイ"),
    ("翔太", "ショウタ"), ("健", "ケン"), ("さくら", "サクラ"), ("葵", "アオイ"),
    ("大翔", "ヒロト"), ("蓮", "レン"), ("芽依", "メイ"), ("凛", "リン"),
    ("由美子", "ユミコ"), ("恵子", "ケイコ"), ("直美", "ナオミ"), ("裕子", "ユウコ"),
    ("拓也", "タクヤ"), ("誠", "マコト"), ("愛", "アイ"), ("真由美", "マユミ"),
    ("明美", "アケミ"), ("浩二", "コウジ"), ("優子", "ユウコ"), ("智子", "トモコ"),
    ("彩", "アヤ"),
)  # fmt: skip
FAMILY_WEIGHTS = [weight for _name, _kana, weight in FAMILY]
PREFIXES = ("090", "080", "070", "03", "06", "045", "052", "011", "092", "075")
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def reference(index: int) -> str:
    """A distinct code per index in the app's format (a bijection of 32^8, spread out)."""
    value = (index * 1_000_000_007 + 12_345) % 32**8
    code = "".join(REFERENCE_ALPHABET[(value >> (5 * k)) & 31] for k in range(7, -1, -1))
    return f"{code[:4]}-{code[4:]}"


@dataclass
class Person:
    full_name: str
    full_name_kana: str
    date_of_birth: datetime.date | None  # None: the answers' own
    phone: str
    email: str


def person(index: int) -> Person:
    """The same person for the same index (a repeat intake finds them again)."""
    rng = random.Random(SEED * 7 + index)
    family, family_kana, _weight = rng.choices(FAMILY, weights=FAMILY_WEIGHTS)[0]
    given, given_kana = rng.choice(GIVEN)
    prefix = rng.choices(PREFIXES, weights=(30, 20, 10, 10, 8, 5, 5, 4, 4, 4))[0]
    # 090-1234-5678 and 03-1234-5678, but 045-123-4567.
    wide = len(prefix) == 2 or prefix in ("090", "080", "070")
    middle = rng.randint(1000, 9999) if wide else rng.randint(100, 999)
    return Person(
        full_name=f"{family} {given}",
        full_name_kana=f"{family_kana} {given_kana}",
        date_of_birth=None,
        phone=f"{prefix}-{middle}-{rng.randint(1000, 9999)}",
        email=f"p{index}@example.jp" if rng.random() < 0.7 else "",
    )


def has_record(person_index: int) -> bool:
    return (person_index * 2_654_435_761) % 100 < PATIENT_SHARE

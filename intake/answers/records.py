"""The clinic's own record of a treatment (spec §5): the areas one can cover.

The product of a treatment uses the codes of the `botulinum_product` question (step 4); the areas
are the clinic's, not the patient's, so they live here rather than in a step.
"""

from __future__ import annotations

from intake.answers.schema import Text, choices

TREATMENT_AREAS = choices(
    ("forehead", "額", "Forehead"),
    ("glabella", "眉間", "Glabella (frown lines)"),
    ("crows_feet", "目尻", "Crow's feet"),
    ("cheeks", "頬", "Cheeks"),
    ("nose", "鼻", "Nose"),
    ("chin", "あご", "Chin"),
    ("jawline", "フェイスライン", "Jawline"),
    ("neck", "首", "Neck"),
    ("whole_face", "顔全体", "Whole face"),
    ("other", "その他", "Other"),
)
TREATMENT_AREA_LABELS: dict[str, Text] = {choice.code: choice.label for choice in TREATMENT_AREAS}
# A product the doctor injected is known: "I don't know" is the patient's answer, not a record.
TREATMENT_PRODUCT_EXCLUDED = frozenset({"unknown"})

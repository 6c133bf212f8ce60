"""Throughput of the screening engine on one core.

Builds a few thousand varied, valid answer sets from a fixed seed, screens them over and over for a
few seconds and prints how many intakes per second one process screens.

    .venv/bin/python bench/screening_throughput.py [--seconds 3] [--intakes 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake.answers import QUESTIONS  # noqa: E402
from intake.screening import RULESET_VERSION, screen  # noqa: E402

TODAY = dt.date(2026, 12, 1)
SEED = 20261101


def codes(key: str) -> tuple[str, ...]:
    """The answer codes of question `key`, from the data dictionary."""
    return tuple(choice.code for choice in QUESTIONS[key].choices)


CONCERNS = codes("concerns")
SKIN_PROBLEMS = codes("skin_problems_now")
RETINOIDS = codes("topical_retinoids")
IRRITATION = codes("retinoid_irritation")
# "unknown" is drawn apart, with the answer left out.
PRODUCTS = tuple(code for code in codes("botulinum_product") if code != "unknown")
REACTIONS = codes("botulinum_reactions")
NEUROMUSCULAR = codes("neuromuscular")
CONDITIONS = codes("other_conditions")
ALLERGIES = codes("allergies")
MEDICATIONS = codes("medications")


def some(rng: random.Random, codes: tuple[str, ...], chance: float) -> list[str]:
    """Usually none; with `chance`, one to three of `codes`."""
    if rng.random() >= chance:
        return []
    return rng.sample(codes, rng.randint(1, min(3, len(codes))))


def days_ago(rng: random.Random, most: int) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randint(0, most))


def answers(rng: random.Random) -> dict[str, object]:
    retinoids = some(rng, RETINOIDS, 0.3)
    botulinum_before = rng.random() < 0.4
    isotretinoin = rng.choices(("never", "current", "past"), weights=(85, 5, 10))[0]
    result: dict[str, object] = {
        "full_name": "山田 花子",
        "date_of_birth": days_ago(rng, 365 * 70) - dt.timedelta(days=365 * 15),
        "sex": rng.choice(("female", "male", "other", "undisclosed")),
        "phone": "06-6375-0000",
        "skin_type": rng.choice(("normal", "dry", "oily", "combination", "sensitive")),
        "phototype": rng.choice(("I", "II", "III", "IV", "V", "VI", "unknown", None)),
        "concerns": rng.sample(CONCERNS, rng.randint(1, 3)),
        "acne_lesion_count": rng.choice(("none", "1_5", "6_20", "21_50", "51_plus")),
        "skin_problems_now": some(rng, SKIN_PROBLEMS, 0.1),
        "keloid_history": rng.random() < 0.05,
        "topical_retinoids": retinoids,
        "retinoid_irritation": some(rng, IRRITATION, 0.3) if retinoids else [],
        "isotretinoin": isotretinoin,
        "botulinum_before": botulinum_before,
        "botulinum_reactions": some(rng, REACTIONS, 0.1) if botulinum_before else [],
        "pregnancy": rng.choices(
            ("not_pregnant", "pregnant", "possibly_pregnant", "not_applicable"),
            weights=(60, 3, 2, 35),
        )[0],
        "breastfeeding": rng.random() < 0.03,
        "planning_pregnancy": rng.random() < 0.05,
        "neuromuscular": some(rng, NEUROMUSCULAR, 0.02),
        "other_conditions": some(rng, CONDITIONS, 0.1),
        "allergies": some(rng, ALLERGIES, 0.1),
        "allergy_details": "",
        "medications": some(rng, MEDICATIONS, 0.15),
        "medication_details": "",
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }
    if rng.random() < 0.5:
        result["visit_date"] = TODAY + dt.timedelta(days=rng.randint(0, 60))
    if retinoids:
        result["topical_retinoid_started"] = days_ago(rng, 400)
    if isotretinoin == "past":
        result["isotretinoin_last_dose"] = days_ago(rng, 1000)
    if botulinum_before:
        result["botulinum_last_date"] = days_ago(rng, 500)
        result["botulinum_product"] = rng.choice((*PRODUCTS, "unknown", None))
    if rng.random() < 0.2:
        result["last_resurfacing_date"] = days_ago(rng, 120)
    if rng.random() < 0.15:
        result["upcoming_event_date"] = TODAY + dt.timedelta(days=rng.randint(0, 90))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to keep screening")
    parser.add_argument("--intakes", type=int, default=5000, help="distinct answer sets")
    args = parser.parse_args()

    rng = random.Random(SEED)
    intakes = [answers(rng) for _ in range(args.intakes)]
    for one in intakes[:200]:  # warm up
        screen(one, today=TODAY)

    screened = 0
    started = time.perf_counter()
    elapsed = 0.0
    while elapsed < args.seconds:
        for one in intakes:
            screen(one, today=TODAY)
        screened += len(intakes)
        elapsed = time.perf_counter() - started

    rows = (
        ("intakes screened", f"{screened:,}"),
        ("seconds", f"{elapsed:.2f}"),
        ("intakes/s", f"{screened / elapsed:,.0f}"),
        ("µs per intake", f"{elapsed / screened * 1e6:.1f}"),
        ("ruleset", RULESET_VERSION),
        ("python", f"{platform.python_implementation()} {platform.python_version()}"),
    )
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()

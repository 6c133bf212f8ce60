"""What the benchmarks share: a bench database of their own, Django set up on it, tables."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"  # git-ignored
BENCH_DATABASE = "clinic_bench"
SETTINGS = "bench.bench_settings"


def postgres_url() -> str | None:
    """The bench database on the server DATABASE_URL names, or None when that is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    return urllib.parse.urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def sqlite_url(name: str = "bench") -> str:
    OUT.mkdir(exist_ok=True)
    return f"sqlite:///{OUT / f'{name}.sqlite3'}"


def default_url() -> str:
    """PostgreSQL when DATABASE_URL is set, else an SQLite file under bench/out/."""
    return postgres_url() or sqlite_url()


def vendor(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def recreate_database(url: str) -> None:
    """An empty bench database (the one `url` names) with the app's migrations."""
    if url.startswith("sqlite"):
        path = Path(urllib.parse.urlsplit(url).path)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg

        parts = urllib.parse.urlsplit(url)
        name = parts.path.lstrip("/") or BENCH_DATABASE
        maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    env = bench_env(url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


def bench_env(url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AXES_", "INTAKE_", "GUNICORN_"))
    }
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # As behind the reverse proxy: each request says which patient address it is from
            # (X-Forwarded-For), as in production, where patients' addresses differ.
            "DJANGO_BEHIND_PROXY": "1",
            # Should two requests share an address, the spam limit must not stop the benchmark.
            "INTAKE_SUBMIT_RATE_LIMIT": "100000000",
        }
    )
    env.update(extra)
    return env


def setup_django(url: str, **extra: str) -> None:
    """Django in this process, on the bench database, configured as the servers it starts."""
    env = bench_env(url, **extra)
    for key in set(os.environ) - set(env):
        del os.environ[key]
    os.environ.update(env)
    import django

    django.setup()


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile: the value below which `percent` % of `values` fall."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(percent / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    print(f"\n{title}")
    line = "  ".join("-" * w for w in widths)
    for index, row in enumerate(cells):
        # The first column (labels) to the left, the figures to the right.
        justified = [row[0].ljust(widths[0])]
        justified += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        print("  ".join(justified))
        if index == 0:
            print(line)
    sys.stdout.flush()


def machine() -> str:
    cpus = os.cpu_count()
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpus} CPUs ({model}), Python {platform.python_version()}"


# Answers ------------------------------------------------------------------------------------------
FAMILY = (
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
)
GIVEN = (
    ("花子", "ハナコ"),
    ("美咲", "ミサキ"),
    ("陽菜", "ヒナ"),
    ("結衣", "ユイ"),
    ("翔太", "ショウタ"),
    ("健", "ケン"),
    ("さくら", "サクラ"),
    ("葵", "アオイ"),
)


def valid_answers(rng: Any, today: datetime.date) -> dict[str, Any]:
    """A varied intake every step form accepts on `today` (flags of every kind now and then)."""
    from intake import answers

    def codes(key: str) -> list[str]:
        return [choice.code for choice in answers.QUESTIONS[key].choices]

    def some(key: str, chance: float) -> list[str]:
        if rng.random() >= chance:
            return []
        pool = codes(key)
        return rng.sample(pool, rng.randint(1, min(3, len(pool))))

    def days_ago(low: int, high: int) -> datetime.date:
        return today - datetime.timedelta(days=rng.randint(low, high))

    (family, family_kana), (given, given_kana) = rng.choice(FAMILY), rng.choice(GIVEN)
    born = days_ago(365 * 18, 365 * 70)
    retinoids = some("topical_retinoids", 0.3)
    isotretinoin = rng.choices(("never", "current", "past"), weights=(85, 5, 10))[0]
    botulinum_before = rng.random() < 0.4
    return {
        "full_name": f"{family} {given}",
        "full_name_kana": f"{family_kana} {given_kana}",
        "date_of_birth": born,
        "sex": rng.choice(codes("sex")),
        "phone": f"0{rng.randint(10, 99)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "email": f"patient{rng.randint(1, 10**9)}@example.jp",
        "visit_date": today + datetime.timedelta(days=rng.randint(0, 60))
        if rng.random() < 0.8
        else None,
        "skin_type": rng.choice(codes("skin_type")),
        "phototype": rng.choice(codes("phototype")),
        "concerns": rng.sample(codes("concerns"), rng.randint(1, 3)),
        "acne_lesion_count": rng.choice(codes("acne_lesion_count")),
        "skin_problems_now": some("skin_problems_now", 0.1),
        "keloid_history": rng.random() < 0.05,
        "topical_retinoids": retinoids,
        "topical_retinoid_started": days_ago(10, 400) if retinoids else None,
        "retinoid_irritation": some("retinoid_irritation", 0.3) if retinoids else [],
        "isotretinoin": isotretinoin,
        "isotretinoin_last_dose": days_ago(30, 1000) if isotretinoin == "past" else None,
        "botulinum_before": botulinum_before,
        "botulinum_last_date": days_ago(30, 500) if botulinum_before else None,
        "botulinum_product": rng.choice(codes("botulinum_product")) if botulinum_before else "",
        "botulinum_reactions": some("botulinum_reactions", 0.1) if botulinum_before else [],
        "last_resurfacing_date": days_ago(5, 120) if rng.random() < 0.2 else None,
        "pregnancy": rng.choices(codes("pregnancy"), k=1)[0],
        "breastfeeding": rng.random() < 0.03,
        "planning_pregnancy": rng.random() < 0.05,
        "neuromuscular": some("neuromuscular", 0.02),
        "other_conditions": some("other_conditions", 0.1),
        "allergies": some("allergies", 0.1),
        "allergy_details": "",
        "medications": some("medications", 0.15),
        "medication_details": "",
        "upcoming_event_date": today + datetime.timedelta(days=rng.randint(1, 90))
        if rng.random() < 0.15
        else None,
        "consent_privacy": True,
        "consent_off_label": True,
        "confirm_accurate": True,
    }


def named_postgres_url(given: str | None, name: str) -> str | None:
    """`given`, else the database `name` on the PostgreSQL server of DATABASE_URL; None when
    DATABASE_URL is not PostgreSQL (the benchmark is PostgreSQL's only)."""
    if given:
        return given
    parts = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        return None
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

"""The app's settings plus the benchmarks' bare view; never used outside bench/."""

from clinic.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"

"""What one patient costs: a whole intake walked through Django's test client, in this process.

A journey is the start, each of the six steps' page and its POST, the review page, the submit and
the confirmation. Reported: SQL statements per journey, CPU milliseconds per journey and per step
page (median), and the bytes a browser receives gzip'd: step 1 on a first visit (the page with its
style sheets and scripts) and a later step's page alone (the static files are cached by then).

    .venv/bin/python bench/patient_journey.py [--journeys 20]

PostgreSQL (database clinic_bench on DATABASE_URL's server) when DATABASE_URL is set, else SQLite.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import time
from typing import Any

from common import default_url, recreate_database, setup_django, valid_answers, vendor

SEED = 20261214
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="/static/([^"]+)"')


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def asset_bytes(html: str) -> int:
    """The gzip'd size of the style sheets and scripts a page links to, as WhiteNoise serves
    them compressed in production."""
    from django.contrib.staticfiles import finders

    total = 0
    for path in ASSET.findall(html):
        found = finders.find(path)
        with open(found, "rb") as file:
            total += gzipped_size(file.read())
    return total


def journey(given: dict[str, Any], timings: dict[str, list[float]]) -> dict[str, Any]:
    from django.test import Client

    from tests.wizard_http import REVIEW_STEP, STEP_NAMES, step_post_data

    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    sizes: dict[str, int] = {}

    def timed(kind: str, method: str, path: str, data: Any = None) -> Any:
        started = time.process_time()
        response = client.post(path, data) if method == "POST" else client.get(path)
        timings.setdefault(kind, []).append(time.process_time() - started)
        return response

    def body(response: Any) -> bytes:
        content = response.content
        if response.get("Content-Encoding") == "gzip":
            return content
        return gzip.compress(content, compresslevel=9)

    timed("start", "GET", "/ja/intake/")
    for number, step in enumerate(STEP_NAMES):
        page = timed("step page", "GET", f"/ja/intake/{step}/")
        assert page.status_code == 200, page.status_code
        sizes[step] = len(body(page))
        if number == 0:
            html = gzip.decompress(body(page)).decode()
            sizes["first visit assets"] = asset_bytes(html)
        sent = timed("step POST", "POST", f"/ja/intake/{step}/", step_post_data(step, given))
        assert sent.status_code == 302, (step, sent.status_code)
    review = timed("review page", "GET", f"/ja/intake/{REVIEW_STEP}/")
    html = gzip.decompress(body(review)).decode()
    sent = timed("submit", "POST", f"/ja/intake/{REVIEW_STEP}/", review_post(html))
    assert sent.status_code == 302, sent.status_code
    confirmation = timed("confirmation", "GET", sent["Location"])
    assert confirmation.status_code == 200
    return sizes


def review_post(html: str) -> dict[str, list[str]]:
    from tests.wizard_http import review_page_fields, review_post_data

    return review_post_data(review_page_fields(html))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=20, help="measured journeys")
    args = parser.parse_args()

    url = default_url()
    recreate_database(url)
    setup_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    rng = random.Random(SEED)
    today = timezone.localdate()
    journey(valid_answers(rng, today), {})  # warm: templates, translations, connections
    with CaptureQueriesContext(connection) as queries:
        sizes = journey(valid_answers(rng, today), {})
    statements = len(queries)

    timings: dict[str, list[float]] = {}
    started = time.process_time()
    for _ in range(args.journeys):
        journey(valid_answers(rng, today), timings)
    per_journey = (time.process_time() - started) / args.journeys

    print(f"{vendor(url)}, {args.journeys} journeys")
    print(f"SQL statements per journey: {statements}")
    print(f"CPU per journey: {per_journey * 1000:.1f} ms")
    for kind, values in timings.items():
        print(f"  {kind}: median {statistics.median(values) * 1000:.2f} ms")
    firsts = ("about_you", "first visit assets")
    later = [size for step, size in sizes.items() if step not in firsts]
    first = sizes["about_you"] + sizes["first visit assets"]
    print(f"Step 1, first visit (page + assets, gzip'd): {first / 1024:.1f} KB")
    print(f"  of which the page: {sizes['about_you'] / 1024:.1f} KB")
    print(f"Later step pages (gzip'd): max {max(later) / 1024:.1f} KB")


if __name__ == "__main__":
    main()

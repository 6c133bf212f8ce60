"""What one patient costs: a whole intake walked through Django's test client, in this process.

A journey is bench/journeys.py's app_journey: the start, each of the six steps' page and its POST,
the review page, the submit and the confirmation. Reported: SQL statements per journey, CPU
milliseconds per journey and per step page (median), and the bytes a browser receives gzip'd
(a page's headers included): step 1 on a first visit (the page with its style sheets and
scripts) and a later step's page alone (the static files are cached by then).

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
from dataclasses import dataclass, field
from typing import Any

from common import default_url, recreate_database, setup_django, valid_answers, vendor
from journeys import ACCEPT_ENCODING, app_journey, wire_size

from tests.wizard_http import REVIEW_STEP, STEP_NAMES, PostData, Response

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


def kind_of(method: str, path: str) -> str:
    """What a request of the journey is, for the timings."""
    if path.endswith("/welcome/"):
        return "start"
    if "/submitted/" in path:
        return "confirmation"
    if path.endswith(f"/{REVIEW_STEP}/"):
        return "review page" if method == "GET" else "submit"
    return "step page" if method == "GET" else "step POST"


@dataclass
class ClientBrowser:
    """A new browser through Django's test client, in this process (a Sender of
    bench/journeys.py): the CPU time of each request by kind, and the bytes of each step page
    as received (headers, body gzip'd)."""

    timings: dict[str, list[float]]
    sizes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from django.test import Client

        self.client = Client(HTTP_ACCEPT_ENCODING=ACCEPT_ENCODING)

    def request(self, method: str, path: str, data: PostData | None = None) -> Response:
        started = time.process_time()
        send = self.client.post if method == "POST" else self.client.get
        raw = send(path, data or {})
        self.timings.setdefault(kind_of(method, path), []).append(time.process_time() - started)
        content = raw.content
        headers = {name.lower(): value for name, value in raw.items()}
        if headers.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
        html = content.decode()
        step = path.rstrip("/").rsplit("/", 1)[-1]
        if method == "GET" and step in STEP_NAMES:
            self.sizes[step] = wire_size(
                raw.status_code, raw.reason_phrase, list(raw.items()), raw.content
            )
            if step == STEP_NAMES[0]:
                self.sizes["first visit assets"] = asset_bytes(html)
        return Response(raw.status_code, headers, html)


def journey(given: dict[str, Any], timings: dict[str, list[float]]) -> dict[str, int]:
    browser = ClientBrowser(timings)
    app_journey(browser, given)
    return browser.sizes


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

"""intake.review.queue: the queue's filters and the labels it reads."""

from __future__ import annotations

from intake import answers, screening
from intake.review import queue


def test_the_verdict_codes_of_the_labels_are_the_engine_s() -> None:
    # The counts and badges read the labels; the engine's codes must be the same, in order.
    assert tuple(answers.VERDICT_LABELS) == screening.VERDICTS
    assert queue.QueueFilters().status == queue.QUEUE_OPEN

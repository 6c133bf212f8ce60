"""The submission limit's counters: one row per client address (as a keyed hash) and hour."""

from __future__ import annotations

from django.db import models


class SubmissionCount(models.Model):
    """How many intakes one address has sent in one hour.

    The address is stored only as a keyed hash (see intake.throttle), and a row lives about an
    hour: the next hour's first submission removes the windows before it.
    """

    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "window_start"], name="submission_count_unique_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]}… {self.window_start:%Y-%m-%d %H:%M} × {self.count}"

"""When to try a delivery again: one backoff curve for both channels, each with its own settings."""

from __future__ import annotations

import datetime as dt
import random


def backoff(attempt_number: int, *, base: float, cap: float) -> dt.timedelta:
    """How long to wait after failed attempt number `attempt_number` (1-based).

    Exponential, capped, with additive jitter (never shorter than the base
    curve, so the whole schedule spans at least its nominal length) to keep
    many failing receivers from being retried in lockstep.
    """
    delay = min(base * 2 ** (attempt_number - 1), cap)
    return dt.timedelta(seconds=delay * (1 + random.uniform(0, 0.25)))

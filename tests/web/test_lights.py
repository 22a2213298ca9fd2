from __future__ import annotations

import datetime as dt

import pytest

from zhenggai.web.lights import DUE_SOON_DAYS, GREEN, RED, YELLOW, light

TODAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("status", "deadline", "expected"),
    [
        ("in_progress", None, GREEN),
        ("in_progress", TODAY + dt.timedelta(days=DUE_SOON_DAYS + 1), GREEN),
        ("in_progress", TODAY + dt.timedelta(days=DUE_SOON_DAYS), YELLOW),
        ("not_started", TODAY, YELLOW),
        ("submitted", TODAY - dt.timedelta(days=1), RED),
        ("returned", TODAY - dt.timedelta(days=30), RED),
        ("closed", TODAY - dt.timedelta(days=30), GREEN),
        ("phase_complete", TODAY - dt.timedelta(days=30), GREEN),
    ],
)
def test_the_light_follows_deadline_and_status(
    status: str, deadline: dt.date | None, expected: str
) -> None:
    assert light(status, deadline, TODAY) == expected

"""The traffic light of a measure: green, yellow (due soon) or red (overdue, not closed)."""

from __future__ import annotations

import datetime as dt

from zhenggai.ledger.models import MeasureStatus

GREEN = "green"
YELLOW = "yellow"
RED = "red"
# A measure due within this many days (today included) shows yellow.
DUE_SOON_DAYS = 7
# Done for the purpose of the light: nothing is late once the office has accepted the work.
DONE_STATUSES = frozenset({MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE})
LIGHT_LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期"}


def light(status: str, deadline: dt.date | None, today: dt.date) -> str:
    """Red when the deadline has passed and the measure is not done; yellow when it falls due
    within ``DUE_SOON_DAYS``; green otherwise (also without a deadline)."""
    if status in DONE_STATUSES or deadline is None:
        return GREEN
    if deadline < today:
        return RED
    if deadline <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return YELLOW
    return GREEN

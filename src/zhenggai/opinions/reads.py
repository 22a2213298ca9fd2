"""Reads of opinions: the sender's tracking page, lights and reminder stages, the counts of the
dashboard and the rows of the reports. Callers pass querysets already scoped
(``access.opinions_for``); the tracking page reads one opinion by its code, and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import MeasureStatus
from zhenggai.opinions.actions import code_digest
from zhenggai.opinions.models import ANSWERED_STATUSES, OPEN_STATUSES, Opinion, OpinionStatus
from zhenggai.supervision import deadlines

# What the sender reads: never the problem, the reason or who handled it.
PUBLIC_STATUS = {
    OpinionStatus.RECEIVED: _("已收到，待办理"),
    OpinionStatus.ASSIGNED: _("办理中"),
    OpinionStatus.OUT_OF_SCOPE: _("办理中"),
    OpinionStatus.ANSWERED: _("已答复"),
    OpinionStatus.PUBLISHED: _("已答复"),
}


@dataclass(frozen=True)
class Tracking:
    """All the tracking page shows."""

    received: dt.date
    status: str
    due: dt.date
    answer: str  # only once published
    answered: dt.date | None


def by_code(code: str) -> Tracking | None:
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    found = Opinion.objects.filter(code_digest=code_digest(code)).first()
    if found is None:
        return None
    published = found.status == OpinionStatus.PUBLISHED
    return Tracking(
        received=timezone.localtime(found.received_at).date(),
        status=str(PUBLIC_STATUS[OpinionStatus(found.status)]),
        due=found.due,
        answer=found.answer if published else "",
        answered=timezone.localtime(found.answered_at).date()
        if published and found.answered_at
        else None,
    )


def light(opinion: Opinion, today: dt.date) -> str:
    """The measures' rule on the answer deadline: green once answered, red when passed,
    yellow within the yellow days."""
    done = opinion.status in ANSWERED_STATUSES
    status = MeasureStatus.CLOSED if done else MeasureStatus.IN_PROGRESS
    return deadlines.light(status, opinion.due, today)


def reminder(opinion: Opinion, today: dt.date) -> str:
    """还有7天到期 / 今天到期 / 已逾期 for an open opinion at a reminder stage, else ""."""
    if opinion.status not in OPEN_STATUSES:
        return ""
    days = deadlines.Rules.from_settings().reminder_days
    stage = deadlines.reminder_stage(opinion.due, today, days)
    return deadlines.stage_label(stage) if stage else ""


def counts_by_unit(opinions: QuerySet[Opinion], today: dt.date) -> list[dict[str, Any]]:
    """``[{"unit": name, "open": n, "overdue": n, "answered": n}]`` in one query."""
    open_q = Q(status__in=OPEN_STATUSES)
    rows = (
        opinions.order_by()
        .values("inspection__unit_id", "inspection__unit__name")
        .annotate(
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=open_q & Q(due__lt=today)),
            answered=Count("id", filter=Q(status__in=ANSWERED_STATUSES)),
        )
        .order_by("inspection__unit__name")
    )
    return [
        {
            "unit": r["inspection__unit__name"],
            "open": r["open"],
            "overdue": r["overdue"],
            "answered": r["answered"],
        }
        for r in rows
    ]


def satisfaction(opinions: QuerySet[Opinion], today: dt.date) -> dict[str, Any]:
    """The 群众满意度 figures: how many opinions, how many answered, answered in time."""
    counts = opinions.order_by().aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status__in=ANSWERED_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due__lt=today)),
        published=Count("id", filter=Q(status=OpinionStatus.PUBLISHED)),
    )
    in_time = sum(
        1
        for answered_at, due in opinions.filter(status__in=ANSWERED_STATUSES).values_list(
            "answered_at", "due"
        )
        if answered_at is not None and timezone.localtime(answered_at).date() <= due
    )
    total = counts["total"]
    counts["in_time"] = in_time
    counts["answer_rate"] = round(100 * counts["answered"] / total) if total else None
    counts["in_time_rate"] = (
        round(100 * in_time / counts["answered"]) if counts["answered"] else None
    )
    return counts

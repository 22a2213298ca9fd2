"""Deadlines and traffic lights: pure functions of dates and statuses, ``today`` passed in.

Statutory deadlines run from the inspection's feedback date in calendar months (a month after
31 January is 29 February): the plan after ``ZHENGGAI_PLAN_MONTHS`` (1), the 整改情况报告 and the
head's report after ``ZHENGGAI_REPORT_MONTHS`` (2). Months, not 30/60 days, because the rules
say "一个月内" and "两个月内" and the office counts them on the calendar.

A measure's light:
  red     its deadline has passed and it is not done (已销号, or 阶段性完成 for 长期坚持)
  yellow  it falls due within ``ZHENGGAI_YELLOW_DAYS`` days (today included), or it is behind
          plan: still 未开始 when ``ZHENGGAI_BEHIND_PLAN_PERCENT`` % of the time from feedback
          to deadline has passed
  green   otherwise, also when it has no deadline
A problem, an inspection or a unit shows the worst light of its measures (green when it has
none): one red measure makes its unit red, which is what the office needs to see first.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from zhenggai.ledger.models import MeasureStatus

GREEN = "green"
YELLOW = "yellow"
RED = "red"
LIGHT_LABELS = {GREEN: "正常", YELLOW: "临期", RED: "逾期"}
_RANK = {GREEN: 0, YELLOW: 1, RED: 2}
# Done for the purpose of lights and reminders: the office has accepted the work.
DONE_STATUSES = frozenset({MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE})

# Reminder stages (``Reminder.kind``): ``before_<n>`` n days before, on the day, once after.
DUE = "due"
OVERDUE = "overdue"


@dataclass(frozen=True)
class Rules:
    """The numbers of the rules, from the settings (``Rules.from_settings()``)."""

    plan_months: int = 1
    report_months: int = 2
    review_first_months: int = 3
    yellow_days: int = 7
    behind_plan_percent: int = 50
    reminder_days: tuple[int, ...] = (30, 7, 1)

    @classmethod
    def from_settings(cls) -> Rules:
        return cls(
            plan_months=settings.ZHENGGAI_PLAN_MONTHS,
            report_months=settings.ZHENGGAI_REPORT_MONTHS,
            review_first_months=settings.ZHENGGAI_REVIEW_FIRST_MONTHS,
            yellow_days=settings.ZHENGGAI_YELLOW_DAYS,
            behind_plan_percent=settings.ZHENGGAI_BEHIND_PLAN_PERCENT,
            reminder_days=tuple(settings.ZHENGGAI_REMINDER_DAYS),
        )


# --- deadlines -----------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class StatutoryDeadlines:
    """What the unit owes the inspection office after feedback."""

    plan: dt.date  # 整改方案
    reports: dt.date  # 整改情况报告 and 主要负责人组织落实整改情况报告


def statutory_deadlines(
    feedback_date: dt.date | None, rules: Rules | None = None
) -> StatutoryDeadlines | None:
    if feedback_date is None:
        return None
    rules = rules or Rules.from_settings()
    return StatutoryDeadlines(
        plan=add_months(feedback_date, rules.plan_months),
        reports=add_months(feedback_date, rules.report_months),
    )


def review_dates(
    feedback_date: dt.date | None,
    period_months: int | None,
    *,
    until: dt.date,
    rules: Rules | None = None,
) -> list[dt.date]:
    """A 长期坚持 measure's report dates up to ``until``: the first ``review_first_months``
    after feedback, then every ``period_months``. Counted from feedback each time, so the
    dates do not drift at month ends."""
    if feedback_date is None or not period_months:
        return []
    rules = rules or Rules.from_settings()
    dates = []
    offset = rules.review_first_months
    while (day := add_months(feedback_date, offset)) <= until:
        dates.append(day)
        offset += period_months
    return dates


def next_review(
    feedback_date: dt.date | None,
    period_months: int | None,
    today: dt.date,
    rules: Rules | None = None,
) -> dt.date | None:
    """The first report date on or after ``today``."""
    if feedback_date is None or not period_months:
        return None
    rules = rules or Rules.from_settings()
    offset = rules.review_first_months
    while (day := add_months(feedback_date, offset)) < today:
        offset += period_months
    return day


# --- lights --------------------------------------------------------------------------------


def behind_plan(
    status: str, start: dt.date | None, deadline: dt.date, today: dt.date, percent: int
) -> bool:
    """Still 未开始 when ``percent`` % of the time from ``start`` to ``deadline`` has passed."""
    if status != MeasureStatus.NOT_STARTED or start is None or deadline <= start:
        return False
    return (today - start).days * 100 >= (deadline - start).days * percent


def light(
    status: str,
    deadline: dt.date | None,
    today: dt.date,
    *,
    start: dt.date | None = None,
    rules: Rules | None = None,
) -> str:
    """A measure's light (see the module docstring); ``start`` is the feedback date."""
    if status in DONE_STATUSES or deadline is None:
        return GREEN
    rules = rules or Rules.from_settings()
    if deadline < today:
        return RED
    if deadline <= today + dt.timedelta(days=rules.yellow_days):
        return YELLOW
    if behind_plan(status, start, deadline, today, rules.behind_plan_percent):
        return YELLOW
    return GREEN


def worst(lights: Iterable[str]) -> str:
    """The light of a problem, inspection or unit: the worst of its measures' (green if none)."""
    return max(lights, key=_RANK.__getitem__, default=GREEN)


# --- reminder stages -----------------------------------------------------------------------


def reminder_stage(
    deadline: dt.date, today: dt.date, days: Iterable[int], *, after: bool = True
) -> str | None:
    """The reminder a deadline calls for today: ``before_<n>`` for the smallest configured
    ``n`` not smaller than the days left, ``due`` on the day, ``overdue`` once it has passed
    (when ``after``). A day skipped (the scheduler was down) is caught up by the next run, and
    never with a stale stage: 5 days before, it is ``before_7``, not ``before_30``."""
    left = (deadline - today).days
    if left < 0:
        return OVERDUE if after else None
    if left == 0:
        return DUE
    for n in sorted(days):
        if left <= n:
            return f"before_{n}"
    return None


def stage_label(kind: str) -> str:
    """The stage in words, for users: 还有7天到期 / 今天到期 / 已逾期."""
    if kind == DUE:
        return "今天到期"
    if kind == OVERDUE:
        return "已逾期"
    return f"还有{kind.removeprefix('before_')}天到期"


# --- statutory deadlines on screen -----------------------------------------------------------


@dataclass(frozen=True)
class StatutoryItem:
    """One statutory deadline of an inspection as the screens show it."""

    key: str  # "plan" or "reports"
    label: str
    due: dt.date
    met: bool
    light: str


STATUTORY_LABELS = {"plan": "报送整改方案", "reports": "报送整改情况报告"}


def statutory_items(
    feedback_date: dt.date | None,
    today: dt.date,
    *,
    plan_met: bool,
    reports_met: bool,
    rules: Rules | None = None,
) -> list[StatutoryItem]:
    """The plan and report deadlines with their lights: green once met, otherwise red when
    passed and yellow within ``yellow_days`` — the rule of a measure's deadline."""
    rules = rules or Rules.from_settings()
    deadlines = statutory_deadlines(feedback_date, rules)
    if deadlines is None:
        return []
    items = []
    for key, due, met in (
        ("plan", deadlines.plan, plan_met),
        ("reports", deadlines.reports, reports_met),
    ):
        status = MeasureStatus.CLOSED if met else MeasureStatus.IN_PROGRESS
        items.append(
            StatutoryItem(
                key, STATUTORY_LABELS[key], due, met, light(status, due, today, rules=rules)
            )
        )
    return items


# --- working days (the answer deadline of a 群众监督意见) ----------------------------------


def holidays_from_settings() -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in settings.ZHENGGAI_HOLIDAYS)


def is_working_day(day: dt.date, holidays: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    day: dt.date, days: int, holidays: frozenset[dt.date] = frozenset()
) -> dt.date:
    """The ``days``-th working day after ``day`` (the day itself not counted): received on a
    Friday with 15 working days, the answer is due three weeks later on a Friday."""
    current = day
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, holidays):
            left -= 1
    return current

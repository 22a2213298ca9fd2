"""Lights read from the database: one query over the measures, aggregated in Python.

The caller passes measures already scoped (``access.measures_for(user)``); these helpers never
widen what a user may see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)

from zhenggai.ledger.models import Inspection, Measure, MeasureStatus, Problem, Unit
from zhenggai.supervision.deadlines import DONE_STATUSES, GREEN, RED, YELLOW, Rules, light, worst

Level = Literal["problem", "inspection", "unit"]
_KEY = {"problem": "problem_id", "inspection": "inspection_id", "unit": "inspection__unit_id"}


def measure_light(measure: Measure, today: dt.date, rules: Rules | None = None) -> str:
    """The light of one measure (its inspection is read for the feedback date)."""
    start = measure.inspection.feedback_date
    return light(measure.status, measure.deadline, today, start=start, rules=rules)


def lights_by(
    measures: QuerySet[Measure], level: Level, today: dt.date, rules: Rules | None = None
) -> dict[int, str]:
    """``{problem/inspection/unit id: light}`` for every group that has measures in
    ``measures``; groups without measures are green (``.get(id, GREEN)``)."""
    rules = rules or Rules.from_settings()
    rows = measures.order_by().values_list(
        _KEY[level], "status", "deadline", "inspection__feedback_date"
    )
    found: dict[int, list[str]] = defaultdict(list)
    for key, status, deadline, feedback in rows:
        found[key].append(light(status, deadline, today, start=feedback, rules=rules))
    return {key: worst(lights) for key, lights in found.items()}


def problem_light(problem: Problem, today: dt.date, rules: Rules | None = None) -> str:
    return _one(Measure.objects.filter(problem=problem), "problem", problem.pk, today, rules)


def inspection_light(inspection: Inspection, today: dt.date, rules: Rules | None = None) -> str:
    measures = Measure.objects.filter(inspection=inspection)
    return _one(measures, "inspection", inspection.pk, today, rules)


def unit_light(unit: Unit, today: dt.date, rules: Rules | None = None) -> str:
    """The unit's light over all its inspections' measures."""
    measures = Measure.objects.filter(inspection__unit=unit)
    return _one(measures, "unit", unit.pk, today, rules)


def _one(
    measures: QuerySet[Measure], level: Level, pk: int, today: dt.date, rules: Rules | None
) -> str:
    return worst(lights_by(measures, level, today, rules).values())


# --- the same rule in SQL, for counts and lists over many measures ----------------------------


def _with_terms(measures: QuerySet[Measure], today: dt.date, rules: Rules) -> QuerySet[Measure]:
    """Annotate the two sides of "behind plan": elapsed × 100 and span × percent (durations;
    date subtraction works the same on SQLite and PostgreSQL through Django's expressions)."""
    feedback = F("inspection__feedback_date")
    elapsed = Value(today, output_field=DateField()) - feedback
    span = F("deadline") - feedback
    return measures.annotate(
        _elapsed_100=ExpressionWrapper(elapsed * 100, output_field=DurationField()),
        _span_pct=ExpressionWrapper(span * rules.behind_plan_percent, output_field=DurationField()),
    )


def _light_q(today: dt.date, rules: Rules) -> dict[str, Q]:
    """``Q`` for red and yellow, as ``deadlines.light`` decides them (over ``_with_terms``)."""
    still_open = ~Q(status__in=DONE_STATUSES) & Q(deadline__isnull=False)
    soon = today + dt.timedelta(days=rules.yellow_days)
    behind = Q(status=MeasureStatus.NOT_STARTED, deadline__gt=soon) & Q(
        deadline__gt=F("inspection__feedback_date"), _elapsed_100__gte=F("_span_pct")
    )
    return {
        RED: still_open & Q(deadline__lt=today),
        YELLOW: still_open & (Q(deadline__gte=today, deadline__lte=soon) | behind),
    }


def light_counts(
    measures: QuerySet[Measure], today: dt.date, rules: Rules | None = None
) -> dict[str, int]:
    """``{"green": n, "yellow": n, "red": n, "total": n}`` in one query (the dashboard)."""
    rules = rules or Rules.from_settings()
    q = _light_q(today, rules)
    counts = (
        _with_terms(measures, today, rules)
        .order_by()
        .aggregate(
            red=Count("id", filter=q[RED]), yellow=Count("id", filter=q[YELLOW]), total=Count("id")
        )
    )
    counts[GREEN] = counts["total"] - counts[RED] - counts[YELLOW]
    return counts


def with_light(
    measures: QuerySet[Measure], today: dt.date, colour: str, rules: Rules | None = None
) -> QuerySet[Measure]:
    """The measures showing ``colour`` (red or yellow), e.g. the at-risk list."""
    rules = rules or Rules.from_settings()
    return _with_terms(measures, today, rules).filter(_light_q(today, rules)[colour])

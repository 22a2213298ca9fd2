"""上轮问题整改状态表: every problem of the unit's previous round, as a look-back sees it.

Each row: the status (fully / partly / not corrected / no longer valid), the reason, the round
the problem was first found in, and the later problems it came back as. The status is derived
(``lookback.prior_status``) from the problem's measures and its look-back links; the office may
set it instead, with a reason (``set_prior_status``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.assessment.links import earlier_inspections, inspection_day
from zhenggai.assessment.models import (
    LinkKind,
    LinkState,
    PriorStatus,
    PriorStatusOverride,
    ProblemLink,
)
from zhenggai.assessment.permissions import require_office, require_region_reader
from zhenggai.ledger import audit
from zhenggai.ledger.errors import ValidationError
from zhenggai.ledger.models import Inspection, Problem, ProblemQuerySet, User
from zhenggai.review import lookback


@dataclass(frozen=True)
class Recurrence:
    title: str
    score: float
    confirmed: bool


@dataclass(frozen=True)
class PriorRow:
    problem: Problem
    number: str  # 一（二）: aspect and problem as numbered in the earlier notice
    title: str
    status: str
    reason: str
    first_round: str
    first_date: dt.date
    recurrences: list[Recurrence] = field(default_factory=list)
    overridden: bool = False

    @property
    def status_label(self) -> str:
        return str(PriorStatus(self.status).label)


def previous_inspection(inspection: Inspection) -> Inspection | None:
    """The unit's last inspection before this one: the round a look-back checks."""
    earlier = earlier_inspections(inspection)
    return earlier[0] if earlier else None


def prior_status_table(inspection: Inspection, *, by: User) -> list[PriorRow]:
    """The rows for the look-back ``inspection``; empty when the unit had no earlier round."""
    require_region_reader(by, inspection)
    previous = previous_inspection(inspection)
    if previous is None:
        return []
    problems = with_status(Problem.objects.filter(aspect__inspection=previous))
    problems = problems.select_related("aspect__inspection__round").order_by("aspect__no", "no")
    recurrences = _recurrences(inspection, [p.pk for p in problems])
    overrides = {o.problem_id: o for o in PriorStatusOverride.objects.filter(inspection=inspection)}
    return [_row(p, recurrences.get(p.pk, []), overrides.get(p.pk)) for p in problems]


def with_status(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """``ProblemQuerySet.with_status`` (``derived_status`` from the measures, in SQL); the
    manager's custom queryset is invisible to mypy without the django-stubs plugin."""
    return cast(ProblemQuerySet, problems).with_status()


def _recurrences(inspection: Inspection, earlier_ids: list[int]) -> dict[int, list[Recurrence]]:
    links = ProblemLink.objects.filter(
        earlier_id__in=earlier_ids,
        problem__aspect__inspection=inspection,
        kind=LinkKind.REPEAT,
    ).exclude(state=LinkState.REJECTED)
    found: dict[int, list[Recurrence]] = {}
    for link in links.select_related("problem").order_by("-score"):
        found.setdefault(link.earlier_id, []).append(
            Recurrence(link.problem.title, link.score, link.state == LinkState.CONFIRMED)
        )
    return found


def _row(
    problem: Problem, recurrences: list[Recurrence], override: PriorStatusOverride | None
) -> PriorRow:
    confirmed = any(r.confirmed for r in recurrences)
    status, reason = lookback.prior_status(
        problem.derived_status,  # type: ignore[attr-defined]  # annotated by with_status
        len(recurrences),
        confirmed=confirmed,
    )
    if override is not None:
        status, reason = override.status, override.reason
    origin = first_found(problem)
    return PriorRow(
        problem=problem,
        number=f"{_chinese(problem.aspect.no)}（{_chinese(problem.no)}）",
        title=problem.title,
        status=status,
        reason=reason,
        first_round=str(origin.aspect.inspection.round),
        first_date=inspection_day(origin.aspect.inspection),
        recurrences=recurrences,
        overridden=override is not None,
    )


def first_found(problem: Problem, limit: int = 20) -> Problem:
    """Follow the problem's own repeat links back to the oldest round it was found in.

    One query per round gone back; rounds are few (a unit is inspected every few years).
    """
    current, seen = problem, {problem.pk}
    for _ in range(limit):
        link = (
            ProblemLink.objects.filter(problem=current, kind=LinkKind.REPEAT)
            .exclude(state=LinkState.REJECTED)
            .select_related("earlier__aspect__inspection__round")
            .order_by("-score")
            .first()
        )
        if link is None or link.earlier_id in seen:
            break
        current = link.earlier
        seen.add(current.pk)
    return current


_DIGITS = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (problems and aspects rarely pass 99)."""
    if number < 10:
        return _DIGITS[number]
    tens, ones = divmod(number, 10)
    return (_DIGITS[tens] if tens > 1 else "") + "十" + (_DIGITS[ones] if ones else "")


def set_prior_status(
    inspection: Inspection, problem: Problem, *, status: str, reason: str, by: User
) -> PriorStatusOverride:
    """The office's own verdict on an earlier problem (e.g. 已不适用 when the unit was merged)."""
    require_office(by, inspection)
    reason = (reason or "").strip()
    if status not in PriorStatus.values or not reason:
        message = "请选择整改状态并填写理由。"
        raise ValidationError(message, {"reason": [message]})
    previous = previous_inspection(inspection)
    if previous is None or problem.aspect.inspection_id != previous.pk:
        raise ValidationError("只能认定上一轮巡察发现的问题。")
    with transaction.atomic():
        row = (
            PriorStatusOverride.objects.select_for_update()
            .filter(inspection=inspection, problem=problem)
            .first()
        )
        before = audit.snapshot(row) if row else None
        row = row or PriorStatusOverride(inspection=inspection, problem=problem)
        row.status, row.reason, row.by, row.at = status, reason, by, timezone.now()
        row.save()
        audit.record(
            "lookback.prior_status", actor=by, target=row, before=before, after=audit.snapshot(row)
        )
    return row

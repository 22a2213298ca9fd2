"""The three lists of a plan — 问题清单, 任务清单, 责任清单 — built from the ledger.

The same rows serve the screens, the exports, the plan document and the versions' snapshots.
Every list is read in a fixed number of queries (the measures in one, the problems in one),
whatever the size of the plan; filters on fields are SQL, the light is computed from the rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from zhenggai.ledger.models import (
    Inspection,
    Measure,
    MeasureKind,
    MeasureStatus,
    Problem,
    ProblemStatus,
)
from zhenggai.ledger.people import display_name
from zhenggai.notice.numerals import int_to_cn
from zhenggai.supervision.deadlines import LIGHT_LABELS, light, worst

# The URL query parameters the lists filter on, in the order the filter form shows them.
FILTERS = ("status", "light", "owner", "department", "kind", "aspect")


@dataclass(frozen=True)
class ProblemRow:
    id: int
    number: str
    aspect: str
    title: str
    cause_analysis: str
    confidential: bool
    measures: int
    status: str
    light: str

    @property
    def status_label(self) -> str:
        return str(ProblemStatus(self.status).label) if self.status in ProblemStatus.values else ""


@dataclass(frozen=True)
class MeasureRow:
    id: int
    problem_id: int
    number: str
    problem: str
    content: str
    kind: str
    leader: str
    department: str
    person: str
    owner: str
    deadline: dt.date | None
    review_period_months: int | None
    completion_standard: str
    status: str
    light: str

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class ResponsibilityRow:
    leader: str
    department: str
    person: str
    numbers: list[str] = field(default_factory=list)
    open: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return len(self.numbers)


@dataclass(frozen=True)
class ThreeLists:
    problems: list[ProblemRow]
    measures: list[MeasureRow]
    responsibilities: list[ResponsibilityRow]


def problem_number(aspect_no: int, problem_no: int) -> str:
    """一（二）: the aspect's and the problem's numbers as in the notice."""
    return f"{int_to_cn(aspect_no)}（{int_to_cn(problem_no)}）"


def measure_number(measure: Measure) -> str:
    problem = measure.problem
    return f"{problem_number(problem.aspect.no, problem.no)}{measure.no}"


def owner_label(measure: Measure) -> str:
    owner = measure.owner
    return display_name(owner)


# --- reading -------------------------------------------------------------------------------


def plan_measures(inspection: Inspection) -> QuerySet[Measure]:
    """The inspection's measures with what a row shows joined (one query)."""
    return (
        Measure.objects.filter(inspection_id=inspection.pk)
        .select_related("problem__aspect", "owner", "inspection")
        .order_by("problem__aspect__no", "problem__no", "no", "id")
    )


def plan_problems(inspection: Inspection) -> QuerySet[Problem]:
    return (
        Problem.objects.filter(aspect__inspection_id=inspection.pk)
        .select_related("aspect")
        .with_status()
        .order_by("aspect__no", "no", "id")
    )


def filter_measures(measures: QuerySet[Measure], params: Mapping[str, str]) -> QuerySet[Measure]:
    """The filters of the URL query string that SQL can apply (all but the light)."""
    if status := params.get("status"):
        measures = measures.filter(status=status)
    if (kind := params.get("kind")) is not None and kind != "":
        measures = measures.filter(kind="" if kind == "unset" else kind)
    if department := params.get("department", "").strip():
        measures = measures.filter(responsible_department__icontains=department)
    if owner := params.get("owner", "").strip():
        measures = measures.filter(
            Q(responsible_person__icontains=owner)
            | Q(responsible_leader__icontains=owner)
            | Q(owner__username__icontains=owner)
            | Q(owner__first_name__icontains=owner)
            | Q(owner__last_name__icontains=owner)
        )
    if (aspect := params.get("aspect", "")).isdigit():
        measures = measures.filter(problem__aspect__no=int(aspect))
    return measures


def three_lists(
    inspection: Inspection, today: dt.date, params: Mapping[str, str] | None = None
) -> ThreeLists:
    """The three lists, filtered by ``params`` (the URL's query string; none: the whole plan).

    A filtered problem list keeps the problems with a matching measure (and, unfiltered, the
    problems without any, which the plan must still answer)."""
    params = params or {}
    measures = list(filter_measures(plan_measures(inspection), params))
    start = inspection.feedback_date
    rows = [_measure_row(m, light(m.status, m.deadline, today, start=start)) for m in measures]
    if wanted := params.get("light"):
        rows = [row for row in rows if row.light == wanted]
    filtered = any(params.get(name) for name in FILTERS)
    problems = _problem_rows(inspection, rows, filtered=filtered)
    return ThreeLists(problems, rows, _responsibilities(rows, today))


def _measure_row(measure: Measure, lit: str) -> MeasureRow:
    return MeasureRow(
        id=measure.pk,
        problem_id=measure.problem.pk,
        number=measure_number(measure),
        problem=str(measure.problem.title),
        content=measure.content,
        kind=measure.kind,
        leader=measure.responsible_leader,
        department=measure.responsible_department,
        person=measure.responsible_person,
        owner=owner_label(measure),
        deadline=measure.deadline,
        review_period_months=measure.review_period_months,
        completion_standard=measure.completion_standard,
        status=measure.status,
        light=lit,
    )


def _problem_rows(
    inspection: Inspection, rows: list[MeasureRow], *, filtered: bool
) -> list[ProblemRow]:
    lights: dict[int, list[str]] = {}
    for row in rows:
        lights.setdefault(row.problem_id, []).append(row.light)
    return [
        ProblemRow(
            id=problem.pk,
            number=problem_number(problem.aspect.no, problem.no),
            aspect=str(problem.aspect.title),
            title=str(problem.title),
            cause_analysis=problem.cause_analysis,
            confidential=problem.confidential,
            measures=problem._n_total,  # type: ignore[attr-defined]
            status=problem.derived_status,  # type: ignore[attr-defined]
            light=worst(lights.get(problem.pk, [])),
        )
        for problem in plan_problems(inspection)
        if not filtered or problem.pk in lights
    ]


def _responsibilities(rows: Iterable[MeasureRow], today: dt.date) -> list[ResponsibilityRow]:
    """责任清单: one row per (leader, department, person), in the order first met."""
    by_owner: dict[tuple[str, str, str], ResponsibilityRow] = {}
    for row in rows:
        person = row.person or row.owner
        key = (row.leader, row.department, person)
        entry = by_owner.setdefault(key, ResponsibilityRow(*key))
        entry.numbers.append(row.number)
        if row.status not in (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE):
            entry.open += 1
            if row.deadline is not None and row.deadline < today:
                entry.overdue += 1
    return list(by_owner.values())


# --- labels --------------------------------------------------------------------------------


def kind_label(kind: str) -> str:
    return str(MeasureKind(kind).label) if kind in MeasureKind.values else ""


def status_label(status: str) -> str:
    return str(MeasureStatus(status).label) if status in MeasureStatus.values else status


def light_label(value: str) -> str:
    return LIGHT_LABELS.get(value, "")


# --- snapshots -----------------------------------------------------------------------------


def snapshot(lists: ThreeLists) -> dict[str, Any]:
    """The three lists as JSON values (dates as ISO strings), as a version keeps them."""

    def plain(row: Any) -> dict[str, Any]:
        data = asdict(row)
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}

    return {
        "problems": [plain(row) for row in lists.problems],
        "measures": [plain(row) for row in lists.measures],
        "responsibilities": [plain(row) for row in lists.responsibilities],
    }


def digest(data: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no whitespace, UTF-8)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()

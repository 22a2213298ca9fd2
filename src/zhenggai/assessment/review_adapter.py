"""A ledger inspection as the review's snapshot (``zhenggai.review`` stays free of Django).

What a measure "claims" differs between a notice and a ledger. A notice lists measures as done;
an imported measure starts the workflow at 未开始 whatever the notice said. So the workflow
status is translated into the words the review reads:

- 未开始 → no status: the text is still the claim the unit published, read as reported done;
- 整改中 / 退回 → 推进中: the ledger itself says the work goes on, pending words are honest;
- 已提交待验收 / 已销号 → their labels: the unit says it is done, pending words contradict it;
- 阶段性完成 → its label: partly done by decision of the office.

The measure's text is its content followed by its progress note, so a closing report that
still says 正在 or 有待 is caught, and a progress note naming a document or date counts.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from zhenggai.assessment.status import with_status
from zhenggai.ledger.models import Inspection, Measure, MeasureStatus, Problem
from zhenggai.notice.dates import DateResolver
from zhenggai.notice.entities import find_entities
from zhenggai.review import MeasureView, ProblemView, Snapshot

# As in ``review.snapshot``: only counts written with digits are verifiable outputs.
_DIGIT = re.compile(r"[0-9０-９]")
_LABELS = dict(MeasureStatus.choices)
_CLAIMED = {
    MeasureStatus.IN_PROGRESS: "推进中",
    MeasureStatus.RETURNED: "推进中",
    MeasureStatus.SUBMITTED: str(_LABELS[MeasureStatus.SUBMITTED]),
    MeasureStatus.CLOSED: str(_LABELS[MeasureStatus.CLOSED]),
    MeasureStatus.PHASE_COMPLETE: str(_LABELS[MeasureStatus.PHASE_COMPLETE]),
}


def inspection_snapshot(inspection: Inspection) -> Snapshot:
    """The snapshot of the inspection's problems and measures as the ledger holds them today
    (three queries)."""
    measures = Prefetch("measures", queryset=Measure.objects.select_related("owner").order_by("no"))
    problems = with_status(Problem.objects.filter(aspect__inspection=inspection))
    problems = problems.select_related("aspect").prefetch_related(measures)
    start = inspection.start or inspection.feedback_date
    resolver = DateResolver(year=start.year if start else None)
    views = [_problem_view(p, resolver) for p in problems.order_by("aspect__no", "no")]
    return Snapshot(
        problems=tuple(views),
        today=timezone.localdate(),
        title=inspection.title or None,
        inspection_start=_iso(inspection.start),
        inspection_end=_iso(inspection.end),
        feedback=_iso(inspection.feedback_date),
    )


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _problem_view(problem: Problem, resolver: DateResolver) -> ProblemView:
    aspect = problem.aspect
    return ProblemView(
        aspect=aspect.no,
        no=problem.no,
        title=problem.title,
        description=problem.text,
        aspect_title=aspect.title,
        implicit=problem.implicit,
        measures=tuple(
            _measure_view(aspect.no, problem.no, m, resolver) for m in problem.measures.all()
        ),
        status=str(problem.derived_status),  # type: ignore[attr-defined]  # from with_status
    )


def _measure_view(
    aspect_no: int, problem_no: int, measure: Measure, resolver: DateResolver
) -> MeasureView:
    text = "\n".join(part for part in (measure.content, measure.progress) if part)
    found = find_entities(text)
    counts = [c for c in found.counts if _DIGIT.search(c)]
    return MeasureView(
        aspect=aspect_no,
        problem=problem_no,
        no=measure.no,
        text=text,
        dates=tuple(resolver.extract(text)),
        documents=tuple(found.documents),
        outputs=(*found.doc_numbers, *counts, *found.percentages, *found.money),
        status=_CLAIMED.get(MeasureStatus(measure.status)),
        owner=_owner(measure),
        deadline=_iso(measure.deadline),
    )


def _owner(measure: Measure) -> str | None:
    named = measure.responsible_person or measure.responsible_department
    if named:
        return named
    return measure.owner.get_username() if measure.owner else None

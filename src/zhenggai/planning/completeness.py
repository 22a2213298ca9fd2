"""Is the plan complete enough to submit? Each rule says, in Chinese, what is missing.

- 一一回应: every problem has at least one measure (and the feedback has problems at all);
- every measure has a type (整改类型), an owner (责任人, by name or account), a completion
  standard (完成标准) and a deadline — a 长期坚持 measure may have a review period instead;
- a 立行立改 measure is done by the time the plan is submitted (submitted for close-out or
  closed, or its completion date recorded).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhenggai.ledger.models import Inspection, Measure, MeasureKind, MeasureStatus
from zhenggai.planning.lists import measure_number, plan_measures, plan_problems, problem_number

IMMEDIATE_DONE = (MeasureStatus.SUBMITTED, MeasureStatus.PHASE_COMPLETE, MeasureStatus.CLOSED)


def missing(inspection: Inspection) -> list[str]:
    """What the plan still lacks, one line per gap; empty when it may be submitted."""
    problems = list(plan_problems(inspection))
    if not problems:
        return [_("尚未录入巡察反馈问题，无法形成整改方案。")]
    gaps = [
        _("问题%(number)s“%(title)s”尚无整改措施。")
        % {"number": problem_number(p.aspect.no, p.no), "title": p.title}
        for p in problems
        if p._n_total == 0  # type: ignore[attr-defined]
    ]
    for measure in plan_measures(inspection):
        gaps += measure_gaps(measure)
    return gaps


def measure_gaps(measure: Measure) -> list[str]:
    number = measure_number(measure)
    gaps = []
    if not measure.kind:
        gaps.append(_("措施%(number)s未明确整改类型。"))
    if not (measure.responsible_person.strip() or measure.owner_id):
        gaps.append(_("措施%(number)s未明确责任人。"))
    if measure.deadline is None and not _ongoing_with_period(measure):
        gaps.append(
            _("措施%(number)s为长期坚持类，须设定完成时限或定期报告周期。")
            if measure.kind == MeasureKind.ONGOING
            else _("措施%(number)s未明确完成时限。")
        )
    if not measure.completion_standard.strip():
        gaps.append(_("措施%(number)s未明确完成标准。"))
    if measure.kind == MeasureKind.IMMEDIATE and not _done(measure):
        gaps.append(_("措施%(number)s为立行立改事项，报送方案前应已完成。"))
    return [gap % {"number": number} for gap in gaps]


def _ongoing_with_period(measure: Measure) -> bool:
    return measure.kind == MeasureKind.ONGOING and bool(measure.review_period_months)


def _done(measure: Measure) -> bool:
    return measure.status in IMMEDIATE_DONE or measure.completed_date is not None

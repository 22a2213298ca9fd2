"""What the documents read from the ledger: the public notice tree and the unit's figures.

The caller fetches the inspection through ``zhenggai.ledger.access`` (the user's scope); the
functions here follow its relations and never write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from zhenggai.ledger.models import (
    DecisionKind,
    ExtensionStatus,
    Inspection,
    Measure,
    MeasureStatus,
    Problem,
    ProblemStatus,
    derive_problem_status,
)
from zhenggai.notice import model as notice_model
from zhenggai.reports.gbt9704 import cn_date, cn_number
from zhenggai.reports.official import NoticeText, notice_text

DONE_MEASURES = frozenset({MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE})
# 已提交待验收 is finished work waiting for the office, not an overdue one.
SETTLED_MEASURES = DONE_MEASURES | {MeasureStatus.SUBMITTED}
DONE_PROBLEMS = frozenset({ProblemStatus.CLOSED, ProblemStatus.PHASE_COMPLETE})

# A measure "made a rule" when its evidence or text names a rule document: 《…制度》 or
# 制定/建立/出台/修订 … 制度/办法/方案/规定/细则 within one clause.
RULE_WORDS = "制度|办法|方案|规定|细则|规则|守则"
RULE_TITLE = re.compile(rf"《[^》]*(?:{RULE_WORDS})》")
RULE_MADE = re.compile(rf"(?:制定|建立|出台|修订|完善|印发)[^，。；、]{{0,30}}(?:{RULE_WORDS})")


def inspection_tree(inspection: Inspection, *, details: bool = True) -> list[Problem]:
    """Problems in order with their aspect and measures prefetched — and, with ``details``,
    the measures' evidence, decisions and extensions: a fixed number of queries (2, or 5)
    whatever the size of the inspection."""
    related = ["measures"]
    if details:
        related += ["measures__evidence", "measures__decisions", "measures__extensions"]
    return list(
        Problem.objects.filter(aspect__inspection=inspection)
        .select_related("aspect")
        .prefetch_related(*related)
        .order_by("aspect__no", "no")
    )


# --- the public notice ---------------------------------------------------------------------


def public_notice(inspection: Inspection) -> notice_model.Notice:
    """The inspection as a public ``Notice``, without its confidential problems.

    Aspects and problems are numbered again after the confidential ones are dropped, so gaps
    in the numbering do not reveal that something was withheld; an aspect left with no
    public problem is dropped whole. A measure's public text is ``public_measure_text``.
    """
    aspects: dict[int, notice_model.Aspect] = {}
    for problem in inspection_tree(inspection, details=False):
        if problem.confidential:
            continue
        aspect = aspects.get(problem.aspect.pk)
        if aspect is None:
            aspect = notice_model.Aspect(no=len(aspects) + 1, title=problem.aspect.title)
            aspects[problem.aspect.pk] = aspect
        aspect.problems.append(_public_problem(problem, len(aspect.problems) + 1))
    return notice_model.Notice(
        title=inspection.title or None,
        issuer=inspection.issuer or inspection.unit.name,
        inspection=notice_model.Inspection(
            group=inspection.group.name,
            start=_iso(inspection.start),
            end=_iso(inspection.end),
            feedback=_iso(inspection.feedback_date),
        ),
        aspects=list(aspects.values()),
        contacts=_contacts(inspection.contacts),
    )


def _public_problem(problem: Problem, no: int) -> notice_model.Problem:
    measures = [
        notice_model.Measure(no=index, text=public_measure_text(measure))
        for index, measure in enumerate(problem.measures.all(), start=1)
    ]
    return notice_model.Problem(
        no=no, title=problem.title, implicit=problem.implicit, measures=measures
    )


def public_measure_text(measure: Measure) -> str:
    """The measure as the public reads it: its content, then what was done as the ledger
    states it (status and completion date).

    Never the ``progress`` field or the ``ProgressNote`` rows: those are the unit's working
    notes to the office (names, half-done steps, 线索), not a text approved for publication.
    """
    content = str(measure.content).strip()
    if content and not content.endswith(("。", "；", "！", "？")):
        content += "。"
    return content + completion_text(measure)


def completion_text(measure: Measure) -> str:
    """已完成整改（2024年1月8日）。 / 正在整改，完成时限2024年3月31日。 — from the status."""
    status = measure.status
    if status == MeasureStatus.CLOSED:
        day = f"（{cn_date(measure.completed_date)}）" if measure.completed_date else ""
        return f"已完成整改{day}。"
    if status == MeasureStatus.PHASE_COMPLETE:
        return "已取得阶段性成效，长期坚持。"
    if status == MeasureStatus.SUBMITTED:
        return "已完成整改，正在验收。"
    deadline = f"，完成时限{cn_date(measure.deadline)}" if measure.deadline else ""
    return f"正在整改{deadline}。"


def official_notice(inspection: Inspection) -> NoticeText:
    """The one official text of the inspection's public notice (.docx, page, notice.txt)."""
    return notice_text(public_notice(inspection))


def _contacts(raw: object) -> notice_model.Contacts:
    data = raw if isinstance(raw, dict) else {}
    return notice_model.Contacts(
        phones=list(data.get("phones", [])),
        emails=list(data.get("emails", [])),
        post_boxes=list(data.get("post_boxes", [])),
        websites=list(data.get("websites", [])),
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- the unit's figures --------------------------------------------------------------------


@dataclass
class MeasureRow:
    """One measure as the report's item-by-item table shows it."""

    number: str  # 一（二）3
    problem: str
    content: str
    department: str
    deadline: dt.date | None
    status: str
    done: bool
    overdue_days: int
    reason: str  # why it is unfinished (extension or return reason), "" when none recorded
    leader: str


@dataclass
class Figures:
    """Totals for the 整改情况报告 and the 主要负责人 report, counted on ``today``."""

    today: dt.date
    aspects: int = 0
    problems: int = 0
    problems_done: int = 0
    problems_in_progress: int = 0
    problems_not_started: int = 0
    measures: int = 0
    measures_done: int = 0
    measures_in_progress: int = 0
    measures_not_started: int = 0
    measures_overdue: int = 0
    rules_made: int = 0
    # Not in the ledger: given by the caller, or ``None`` for a line the unit fills in.
    accountable: int | None = None
    rows: list[MeasureRow] = field(default_factory=list)

    @property
    def unfinished(self) -> list[MeasureRow]:
        return [row for row in self.rows if not row.done]


def figures(
    inspection: Inspection, *, today: dt.date | None = None, accountable: int | None = None
) -> Figures:
    """Count problems and measures by status, rules made and overdue measures."""
    result = Figures(today=today or dt.date.today(), accountable=accountable)
    problems = inspection_tree(inspection)
    result.aspects = len({p.aspect.pk for p in problems})
    statuses: Counter[str] = Counter()
    for problem in problems:
        measures = list(problem.measures.all())
        statuses[derive_problem_status(m.status for m in measures)] += 1
        for measure in measures:
            result.rows.append(_row(problem, measure.no, measure, result.today))
            result.rules_made += made_rule(measure)
    result.problems = len(problems)
    # A loop, not sum(): without django-stubs mypy takes the choices for tuples.
    result.problems_done = 0
    for status in DONE_PROBLEMS:
        result.problems_done += statuses[status]
    result.problems_not_started = statuses[ProblemStatus.NOT_STARTED]
    result.problems_in_progress = result.problems - result.problems_done
    result.problems_in_progress -= result.problems_not_started
    _count_measures(result)
    return result


def _count_measures(result: Figures) -> None:
    result.measures = len(result.rows)
    result.measures_done = sum(row.done for row in result.rows)
    not_started = MeasureStatus(MeasureStatus.NOT_STARTED).label
    result.measures_not_started = len([row for row in result.rows if row.status == not_started])
    result.measures_in_progress = (
        result.measures - result.measures_done - result.measures_not_started
    )
    result.measures_overdue = sum(row.overdue_days > 0 for row in result.rows)


def _row(problem: Problem, no: int, measure: Measure, today: dt.date) -> MeasureRow:
    return MeasureRow(
        number=f"{cn_number(problem.aspect.no)}（{cn_number(problem.no)}）{no}",
        problem=problem.title,
        content=measure.content,
        department=measure.responsible_department or measure.responsible_person,
        deadline=measure.deadline,
        status=str(MeasureStatus(measure.status).label),
        done=measure.status in DONE_MEASURES,
        overdue_days=overdue_days(measure, today),
        reason=unfinished_reason(measure),
        leader=measure.responsible_leader,
    )


def overdue_days(measure: Measure, today: dt.date) -> int:
    """Days past the deadline of an open measure (0 when not overdue or settled)."""
    if measure.deadline is None or measure.status in SETTLED_MEASURES:
        return 0
    return max(0, int((today - measure.deadline).days))


def made_rule(measure: Measure) -> bool:
    titles = " ".join(f"《{e.title}》" for e in measure.evidence.all() if e.title)
    text = f"{measure.content} {measure.progress} {titles}"
    return bool(RULE_TITLE.search(text) or RULE_MADE.search(text))


def unfinished_reason(measure: Measure) -> str:
    """The latest recorded reason: an extension request's, else the office's return reason."""
    extensions = [
        e for e in measure.extensions.all() if e.status != ExtensionStatus.REJECTED and e.reason
    ]
    if extensions:
        return str(extensions[-1].reason)
    returns = [d for d in measure.decisions.all() if d.kind == DecisionKind.RETURN and d.reason]
    return str(returns[-1].reason) if returns else ""

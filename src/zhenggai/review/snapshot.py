"""What the rules read: a plain snapshot of problems and measures, built from a notice or a ledger.

The rules never see a :class:`~zhenggai.notice.Notice` or a Django model. A notice is turned into
a :class:`Snapshot` by :func:`from_notice`; a ledger export can build the same dataclasses (and
fill ``owner`` and ``deadline``, which a published notice does not state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from zhenggai.notice.model import DateMention, Measure, Notice, Problem

# A count written with digits (共学习9次, 3个先进集体) is a measurable output; counts in Chinese
# numerals in notices are mostly rhetoric (研究一次, 四个方面问题).
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class MeasureView:
    aspect: int
    problem: int
    no: int
    text: str
    dates: tuple[DateMention, ...] = ()
    documents: tuple[str, ...] = ()  # titles in 《》
    # Verifiable facts other than titles: 文号, counts with digits, percentages, money.
    outputs: tuple[str, ...] = ()
    status: str | None = None
    owner: str | None = None  # 责任人 / 责任部门, known from a ledger only
    deadline: str | None = None  # ISO date, known from a ledger only


@dataclass(frozen=True)
class ProblemView:
    aspect: int
    no: int
    title: str
    description: str = ""
    aspect_title: str = ""
    implicit: bool = False
    measures: tuple[MeasureView, ...] = ()
    status: str | None = None

    @property
    def topic(self) -> str:
        """The words saying what is wrong; the aspect's heading names the theme of short titles."""
        return "\n".join(p for p in (self.title, self.description, self.aspect_title) if p)


@dataclass(frozen=True)
class Snapshot:
    problems: tuple[ProblemView, ...]
    today: date
    title: str | None = None
    inspection_start: str | None = None
    inspection_end: str | None = None
    feedback: str | None = None
    published: str | None = None  # the notice's own date, when known

    def measures(self) -> list[MeasureView]:
        return [m for p in self.problems for m in p.measures]


def from_notice(notice: Notice, *, today: date | None = None) -> Snapshot:
    """The snapshot of a parsed notice; ``today`` bounds dates when the notice has no date."""
    problems = tuple(
        _problem_view(aspect.no, aspect.title, problem)
        for aspect in notice.aspects
        for problem in aspect.problems
    )
    inspection = notice.inspection
    return Snapshot(
        problems=problems,
        today=today or date.today(),
        title=notice.title,
        inspection_start=inspection.start,
        inspection_end=inspection.end,
        feedback=inspection.feedback,
    )


def _problem_view(aspect_no: int, aspect_title: str, problem: Problem) -> ProblemView:
    return ProblemView(
        aspect=aspect_no,
        no=problem.no,
        title=problem.title,
        description=problem.description,
        aspect_title=aspect_title,
        implicit=problem.implicit,
        measures=tuple(_measure_view(aspect_no, problem.no, m) for m in problem.measures),
        status=problem.status,
    )


def _measure_view(aspect_no: int, problem_no: int, measure: Measure) -> MeasureView:
    found = measure.entities
    counts = [c for c in found.counts if _DIGIT.search(c)]
    return MeasureView(
        aspect=aspect_no,
        problem=problem_no,
        no=measure.no,
        text=measure.text,
        dates=tuple(measure.dates),
        documents=tuple(found.documents),
        outputs=(*found.doc_numbers, *counts, *found.percentages, *found.money),
        status=measure.status,
    )

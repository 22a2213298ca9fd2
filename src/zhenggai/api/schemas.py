"""What the API returns and accepts."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class Detail(Schema):
    detail: str


class InspectionOut(Schema):
    id: int
    title: str
    unit: str
    group: str
    round: str
    start: dt.date | None
    end: dt.date | None
    feedback_date: dt.date | None
    total: int
    counts: dict[str, int]


class MeasureRow(Schema):
    id: int
    no: int
    content: str
    kind: str
    status: str
    status_label: str
    responsible_leader: str
    responsible_department: str
    responsible_person: str
    owner: str | None
    deadline: dt.date | None
    light: str
    version: int


class ProblemOut(Schema):
    id: int
    no: int
    title: str
    immediate: bool = False
    measures: list[MeasureRow]


class AspectOut(Schema):
    id: int
    no: int
    title: str
    problems: list[ProblemOut]


class StatutoryOut(Schema):
    """A statutory deadline (the plan: feedback + 1 month; the reports: + 2 months)."""

    key: str
    label: str
    due: dt.date
    met: bool
    light: str


class InspectionTree(InspectionOut):
    handed_over: bool
    # 移交问题线索: only for the group, the office and observers (null for the unit).
    leads_count: int | None
    statutory: list[StatutoryOut]
    aspects: list[AspectOut]


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    doc_number: str
    original_name: str
    sha256: str
    size: int | None
    frozen: bool


class DecisionOut(Schema):
    kind: str
    kind_label: str
    actor: str
    at: dt.datetime
    reason: str


class ExtensionOut(Schema):
    id: int
    measure_id: int
    previous_deadline: dt.date | None
    requested_deadline: dt.date
    reason: str
    requested_by: str
    requested_at: dt.datetime
    status: str
    status_label: str
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str


class MeasureOut(MeasureRow):
    inspection_id: int
    problem_id: int
    completion_standard: str
    progress: str
    completed_date: dt.date | None
    evidence: list[EvidenceOut]
    decisions: list[DecisionOut]
    extensions: list[ExtensionOut]


class ReasonIn(Schema):
    reason: str = ""


class ProgressIn(Schema):
    text: str
    date: dt.date | None = None


class EvidenceIn(Schema):
    """A reference to a document; files are uploaded on the measure page."""

    title: str
    doc_number: str = ""
    date: dt.date | None = None
    pages: int | None = None


class MeasurePatch(Schema):
    """``version`` is the one the client read; the other fields are the changes."""

    version: int
    content: str | None = None
    kind: str | None = None
    responsible_leader: str | None = None
    responsible_department: str | None = None
    responsible_person: str | None = None
    deadline: dt.date | None = None
    completion_standard: str | None = None
    progress: str | None = None
    completed_date: dt.date | None = None


class ExtensionIn(Schema):
    """The unit's request: the new deadline and why."""

    deadline: dt.date
    reason: str


class ExtensionDecisionIn(Schema):
    """The office's decision; a rejection needs a reason."""

    approve: bool
    reason: str = ""


# --- the feedback and its corrections -------------------------------------------------------


class TitleIn(Schema):
    title: str


class AspectSummary(Schema):
    id: int
    inspection_id: int
    no: int
    title: str


class ProblemIn(Schema):
    """A new problem of the feedback; ``confidential`` is the office's to set."""

    title: str
    text: str = ""
    immediate: bool = False
    confidential: bool = False


class ProblemPatch(Schema):
    """Feedback fields (the group before hand-over, the office) or the unit's cause analysis."""

    title: str | None = None
    text: str | None = None
    immediate: bool | None = None
    confidential: bool | None = None
    cause_analysis: str | None = None


class ProblemDetail(Schema):
    id: int
    aspect_id: int
    no: int
    title: str
    text: str
    immediate: bool
    confidential: bool
    cause_analysis: str
    withdrawn: bool


class MeasureIn(Schema):
    """A new measure of the plan; it starts as 未开始."""

    content: str
    kind: str = ""
    responsible_leader: str = ""
    responsible_department: str = ""
    responsible_person: str = ""
    deadline: dt.date | None = None
    completion_standard: str = ""


class WithdrawIn(Schema):
    reason: str

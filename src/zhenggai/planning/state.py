"""What the plan's screens and the API show: the plan, its versions with their opinions, the
change requests and the statutory deadline. A fixed number of queries, read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from zhenggai.ledger.models import Inspection
from zhenggai.planning.models import (
    ChangeRequest,
    Plan,
    PlanOpinion,
    PlanStatus,
    PlanVersion,
)
from zhenggai.supervision.deadlines import statutory_deadlines


@dataclass(frozen=True)
class PlanState:
    inspection: Inspection
    status: str
    status_label: str
    version: int
    due: dt.date | None
    versions: list[PlanVersion]
    changes: list[ChangeRequest]

    @property
    def current(self) -> PlanVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)


def plan_state(inspection: Inspection) -> PlanState:
    plan = Plan.objects.filter(inspection_id=inspection.pk).first()
    deadlines = statutory_deadlines(inspection.feedback_date)
    due = deadlines.plan if deadlines else None
    if plan is None:
        label = str(PlanStatus.DRAFT.label)  # type: ignore[attr-defined]
        return PlanState(inspection, PlanStatus.DRAFT, label, 0, due, [], [])
    opinions = PlanOpinion.objects.select_related("reviewer")
    versions = plan.versions.select_related("submitted_by", "decided_by").prefetch_related(
        Prefetch("opinions", queryset=opinions)
    )
    changes = plan.changes.select_related("measure", "problem", "requested_by", "decided_by")
    return PlanState(
        inspection=inspection,
        status=plan.status,
        status_label=plan.get_status_display(),
        version=plan.version,
        due=due,
        versions=list(versions.order_by("number")),
        changes=list(changes.order_by("-requested_at", "-id")),
    )

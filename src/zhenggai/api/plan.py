"""The API of the 整改方案: the plan, its completeness, submission, the joint review, the
office's decision and change requests. Same access rules as the screens (``ledger.access``,
checked by ``zhenggai.planning.actions``); registered on ``zhenggai.api.api.api``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from zhenggai.ledger import access
from zhenggai.ledger.models import Inspection
from zhenggai.planning import actions, completeness
from zhenggai.planning.models import ChangeRequest, PlanVersion
from zhenggai.planning.state import plan_state


class OpinionOut(Schema):
    role: str
    role_label: str
    reviewer: str
    agrees: bool
    text: str
    at: dt.datetime


class VersionOut(Schema):
    number: int
    status: str
    status_label: str
    sha256: str
    submitted_by: str
    submitted_at: dt.datetime
    late: bool
    decided_by: str | None
    decision_reason: str
    opinions: list[OpinionOut]


class ChangeOut(Schema):
    id: int
    kind: str
    kind_label: str
    measure_id: int | None
    problem_id: int | None
    changes: dict[str, Any]
    reason: str
    requested_by: str
    status: str
    status_label: str
    decided_by: str | None
    decision_reason: str
    version: int | None


class PlanOut(Schema):
    inspection_id: int
    status: str
    status_label: str
    version: int
    due: dt.date | None
    versions: list[VersionOut]
    changes: list[ChangeOut]


class CompletenessOut(Schema):
    complete: bool
    missing: list[str]


class OpinionIn(Schema):
    text: str
    agrees: bool = True


class ChangeIn(Schema):
    """``measure_id`` for a withdrawal, new owner or new deadline; ``problem_id`` for a new
    measure; ``changes`` the new values (content, owners, deadline …)."""

    kind: str
    reason: str
    measure_id: int | None = None
    problem_id: int | None = None
    changes: dict[str, Any] = Field(default_factory=dict)


class ReasonIn(Schema):
    reason: str = ""


class ChangeDecisionIn(Schema):
    approve: bool
    reason: str = ""


def _version_out(version: PlanVersion) -> dict[str, Any]:
    decided_by = version.decided_by
    return {
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "sha256": version.sha256,
        "submitted_by": version.submitted_by.get_username(),
        "submitted_at": version.submitted_at,
        "late": version.late,
        "decided_by": decided_by.get_username() if decided_by else None,
        "decision_reason": version.decision_reason,
        "opinions": [
            {
                "role": o.role,
                "role_label": o.get_role_display(),
                "reviewer": o.reviewer.get_username(),
                "agrees": o.agrees,
                "text": o.text,
                "at": o.at,
            }
            for o in version.opinions.all()
        ],
    }


def change_out(change: ChangeRequest) -> dict[str, Any]:
    decided_by = change.decided_by
    return {
        "id": change.pk,
        "kind": change.kind,
        "kind_label": change.get_kind_display(),
        "measure_id": change.measure_id,
        "problem_id": change.problem_id,
        "changes": change.changes,
        "reason": change.reason,
        "requested_by": change.requested_by.get_username(),
        "status": change.status,
        "status_label": change.get_status_display(),
        "decided_by": decided_by.get_username() if decided_by else None,
        "decision_reason": change.decision_reason,
        "version": change.version.number if change.version else None,
    }


def plan_out(inspection: Inspection) -> dict[str, Any]:
    state = plan_state(inspection)
    return {
        "inspection_id": inspection.pk,
        "status": state.status,
        "status_label": state.status_label,
        "version": state.version,
        "due": state.due,
        "versions": [_version_out(v) for v in state.versions],
        "changes": [change_out(c) for c in state.changes],
    }


def register(api: Any, errors: dict[int, Any]) -> None:
    """Add the plan's operations to ``api`` (tag 整改方案)."""
    tags = ["整改方案"]
    plan_path = "/inspections/{inspection_id}/plan"

    @api.get(plan_path, response={200: PlanOut, **errors}, tags=tags)
    def get_plan(request: HttpRequest, inspection_id: int) -> Any:
        """The plan's state, its versions (each with its opinions) and change requests."""
        return plan_out(access.get_inspection_for(request.user, inspection_id))

    @api.get(f"{plan_path}/completeness", response={200: CompletenessOut, **errors}, tags=tags)
    def plan_completeness(request: HttpRequest, inspection_id: int) -> Any:
        """What the plan still lacks before it may be submitted, in Chinese."""
        missing = completeness.missing(access.get_inspection_for(request.user, inspection_id))
        return {"complete": not missing, "missing": missing}

    @api.post(f"{plan_path}/submit", response={200: PlanOut, **errors}, tags=tags)
    def plan_submit(request: HttpRequest, inspection_id: int) -> Any:
        inspection = access.get_inspection_for(request.user, inspection_id)
        actions.submit_plan(inspection, by=request.user)  # type: ignore[arg-type]
        return plan_out(inspection)

    @api.post(f"{plan_path}/opinion", response={200: PlanOut, **errors}, tags=tags)
    def plan_opinion(request: HttpRequest, inspection_id: int, payload: OpinionIn) -> Any:
        inspection = access.get_inspection_for(request.user, inspection_id)
        actions.record_opinion(
            inspection, by=request.user, text=payload.text, agrees=payload.agrees
        )  # type: ignore[arg-type]
        return plan_out(inspection)

    @api.post(f"{plan_path}/approve", response={200: PlanOut, **errors}, tags=tags)
    def plan_approve(request: HttpRequest, inspection_id: int, payload: ReasonIn) -> Any:
        inspection = access.get_inspection_for(request.user, inspection_id)
        actions.approve_plan(inspection, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
        return plan_out(inspection)

    @api.post(f"{plan_path}/return", response={200: PlanOut, **errors}, tags=tags)
    def plan_return(request: HttpRequest, inspection_id: int, payload: ReasonIn) -> Any:
        inspection = access.get_inspection_for(request.user, inspection_id)
        actions.return_plan(inspection, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
        return plan_out(inspection)

    @api.post(f"{plan_path}/changes", response={201: ChangeOut, **errors}, tags=tags)
    def plan_change(request: HttpRequest, inspection_id: int, payload: ChangeIn) -> Any:
        inspection = access.get_inspection_for(request.user, inspection_id)
        measure = (
            access.get_measure_for(request.user, payload.measure_id) if payload.measure_id else None
        )
        problem = (
            access.get_problem_for(request.user, payload.problem_id) if payload.problem_id else None
        )
        change = actions.request_change(
            inspection,
            by=request.user,  # type: ignore[arg-type]
            kind=payload.kind,
            reason=payload.reason,
            measure=measure,
            problem=problem,
            changes=payload.changes,
        )
        return Status(201, change_out(access.get_change_request_for(request.user, change.pk)))

    @api.post("/plan-changes/{change_id}/decide", response={200: ChangeOut, **errors}, tags=tags)
    def plan_change_decide(request: HttpRequest, change_id: int, payload: ChangeDecisionIn) -> Any:
        """The office approves (applied, new version) or rejects (with a reason)."""
        change = access.get_change_request_for(request.user, change_id)
        actions.decide_change(
            change,
            by=request.user,  # type: ignore[arg-type]
            approve=payload.approve,
            reason=payload.reason,
        )
        return change_out(access.get_change_request_for(request.user, change_id))

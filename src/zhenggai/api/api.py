"""The API: ``/api/…``, OpenAPI at ``/api/openapi.json``.

Authentication: a bearer token (``Authorization: Bearer zg_…``, made on the 接口令牌 page,
``zhenggai.api.tokens``) or the Django session of a signed-in browser (with its CSRF token
on writes). Either way the request acts as one account, through ``zhenggai.ledger.access``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.security import django_auth

from zhenggai.api import plan as plan_api
from zhenggai.api import schemas as s
from zhenggai.api.tokens import TokenAuth
from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import (
    ConflictError,
    InvalidTransition,
    LedgerError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from zhenggai.ledger.models import (
    Aspect,
    DeadlineExtension,
    Decision,
    Evidence,
    Inspection,
    Measure,
    Problem,
)
from zhenggai.web import queries
from zhenggai.web.lights import light
from zhenggai.web.pages import NEWEST
from zhenggai.web.workflow import STEPS, Step, message_of

# The most inspections one page of ``GET /api/inspections`` returns.
MAX_PAGE = 500

api = NinjaAPI(
    title="整改台账 API", version="1", auth=[TokenAuth(), django_auth], urls_namespace="api"
)

ERROR_STATUS: dict[type[LedgerError], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    InvalidTransition: 400,
    ValidationError: 400,
    ConflictError: 409,
}


def _ledger_error(request: HttpRequest, exc: LedgerError) -> HttpResponse:
    status = next((code for cls, code in ERROR_STATUS.items() if isinstance(exc, cls)), 400)
    return api.create_response(request, {"detail": message_of(exc)}, status=status)


api.add_exception_handler(LedgerError, _ledger_error)

ERRORS: dict[int, Any] = {400: s.Detail, 403: s.Detail, 404: s.Detail, 409: s.Detail}


# --- reading -------------------------------------------------------------------------------


def _inspection_out(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.pk,
        "title": inspection.title,
        "unit": str(inspection.unit),
        "group": str(inspection.group),
        "round": str(inspection.round),
        "start": inspection.start,
        "end": inspection.end,
        "feedback_date": inspection.feedback_date,
        "total": getattr(inspection, "n_total", 0),
        "counts": queries.status_counts(inspection),
    }


def _measure_row(measure: Measure, today: dt.date) -> dict[str, Any]:
    owner = measure.owner
    return {
        "id": measure.pk,
        "no": measure.no,
        "content": measure.content,
        "kind": measure.kind,
        "status": measure.status,
        "status_label": measure.get_status_display(),
        "responsible_leader": measure.responsible_leader,
        "responsible_department": measure.responsible_department,
        "responsible_person": measure.responsible_person,
        "owner": (owner.get_full_name() or owner.get_username()) if owner else None,
        "deadline": measure.deadline,
        "light": light(
            measure.status, measure.deadline, today, start=measure.inspection.feedback_date
        ),
        "version": measure.version,
    }


def _aspect_out(aspect: Aspect, today: dt.date) -> dict[str, Any]:
    # The office's tree keeps withdrawn rows (struck through on screen); the API leaves them out.
    problems = [
        {
            "id": problem.pk,
            "no": problem.no,
            "title": problem.title,
            "immediate": problem.immediate,
            "measures": [
                _measure_row(m, today) for m in problem.measures.all() if m.withdrawn_at is None
            ],
        }
        for problem in aspect.problems.all()
        if problem.withdrawn_at is None
    ]
    return {"id": aspect.pk, "no": aspect.no, "title": aspect.title, "problems": problems}


@api.get("/inspections", response=list[s.InspectionOut], tags=["巡察"])
def list_inspections(
    request: HttpRequest, response: HttpResponse, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """The inspections the user may see, with measure counts by status: ``limit`` (at most
    500) from ``offset``, newest feedback first. The body stays a plain list; the total is in
    ``X-Total-Count`` and the next page in ``Link: <…>; rel="next"`` (docs/api.md)."""
    limit, offset = min(max(limit, 1), MAX_PAGE), max(offset, 0)
    ids = access.inspections_for(request.user).order_by(*NEWEST)
    total = ids.count()
    chosen = list(ids.values_list("pk", flat=True)[offset : offset + limit])
    rows = queries.inspections_with_counts(request.user).filter(pk__in=chosen).order_by(*NEWEST)
    response["X-Total-Count"] = str(total)
    if offset + limit < total:
        following = urlencode({"limit": limit, "offset": offset + limit})
        response["Link"] = f'<{request.path}?{following}>; rel="next"'
    return [_inspection_out(i) for i in rows]


@api.get("/inspections/{inspection_id}", response={200: s.InspectionTree, **ERRORS}, tags=["巡察"])
def get_inspection(request: HttpRequest, inspection_id: int) -> dict[str, Any]:
    """The ledger tree: aspects → problems → measures, each with its light."""
    inspection, aspects = queries.inspection_tree(request.user, inspection_id)
    counted = queries.inspections_with_counts(request.user).get(pk=inspection.pk)
    today = queries.today()
    sees_leads = access.may_see_leads(access.scope_of(request.user), inspection)
    tree = {
        **_inspection_out(counted),
        "handed_over": inspection.handed_over_at is not None,
        "leads_count": inspection.leads_count if sees_leads else None,
        "statutory": [item.__dict__ for item in queries.statutory(inspection, today)],
        "aspects": [_aspect_out(a, today) for a in aspects],
    }
    # The whole ledger of the inspection leaves the system: audited like the .xlsx export.
    audit.record_read(
        "export.api_ledger", actor=request.user, target=inspection, file_format="json"
    )
    return tree


def _evidence_out(evidence: Evidence) -> dict[str, Any]:
    fields = ("id", "kind", "title", "doc_number", "original_name", "sha256", "size", "frozen")
    return {name: getattr(evidence, name) for name in fields}


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "kind": decision.kind,
        "kind_label": decision.get_kind_display(),
        "actor": decision.actor.get_username(),
        "at": decision.at,
        "reason": decision.reason,
    }


def _extension_out(extension: DeadlineExtension) -> dict[str, Any]:
    decided_by = extension.decided_by
    return {
        "id": extension.pk,
        "measure_id": extension.measure_id,
        "previous_deadline": extension.previous_deadline,
        "requested_deadline": extension.requested_deadline,
        "reason": extension.reason,
        "requested_by": extension.requested_by.get_username(),
        "requested_at": extension.requested_at,
        "status": extension.status,
        "status_label": extension.get_status_display(),
        "decided_by": decided_by.get_username() if decided_by else None,
        "decided_at": extension.decided_at,
        "decision_reason": extension.decision_reason,
    }


def _measure_out(measure: Measure) -> dict[str, Any]:
    return {
        **_measure_row(measure, queries.today()),
        "inspection_id": measure.inspection_id,
        "problem_id": measure.problem.pk,
        "completion_standard": measure.completion_standard,
        "progress": measure.progress,
        "completed_date": measure.completed_date,
        "evidence": [_evidence_out(e) for e in measure.evidence.all()],
        "decisions": [_decision_out(d) for d in measure.decisions.select_related("actor")],
        "extensions": [
            _extension_out(e)
            for e in measure.extensions.select_related("requested_by", "decided_by")
        ],
    }


@api.get("/measures/{measure_id}", response={200: s.MeasureOut, **ERRORS}, tags=["整改措施"])
def get_measure(request: HttpRequest, measure_id: int) -> dict[str, Any]:
    return _measure_out(access.get_measure_for(request.user, measure_id))


# --- writing: each operation fetches through access and calls one action -----------------


@api.patch("/measures/{measure_id}", response={200: s.MeasureOut, **ERRORS}, tags=["整改措施"])
def patch_measure(request: HttpRequest, measure_id: int, payload: s.MeasurePatch) -> Any:
    """Change fields; 409 when someone saved the measure since ``version`` was read."""
    measure = access.get_measure_for(request.user, measure_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    actions.update_measure(measure, changes, by=request.user, expected_version=version)  # type: ignore[arg-type]
    return _measure_out(access.get_measure_for(request.user, measure_id))


def _transition_operation(name: str, step: Step) -> None:
    """Register ``POST /measures/{id}/<name>``; ``reason`` is the note, where one is taken."""

    def operation(request: HttpRequest, measure_id: int, payload: s.ReasonIn) -> Any:
        measure = access.get_measure_for(request.user, measure_id)
        step.act(measure, request.user, payload.reason)
        return _measure_out(access.get_measure_for(request.user, measure_id))

    operation.__name__ = f"measure_{name.replace('-', '_')}"
    operation.__doc__ = step.label
    api.post(
        f"/measures/{{measure_id}}/{name}",
        response={200: s.MeasureOut, **ERRORS},
        tags=["整改措施"],
        operation_id=operation.__name__,
    )(operation)


# Progress has its own operation below: it takes a date as well as the text.
for _name, _step in STEPS.items():
    if _name != "progress":
        _transition_operation(_name, _step)


@api.post("/measures/{measure_id}/progress", response={201: s.Detail, **ERRORS}, tags=["整改措施"])
def measure_progress(request: HttpRequest, measure_id: int, payload: s.ProgressIn) -> Any:
    measure = access.get_measure_for(request.user, measure_id)
    actions.record_progress(measure, by=request.user, text=payload.text, date=payload.date)  # type: ignore[arg-type]
    return Status(201, {"detail": "进展已记录。"})


@api.post(
    "/measures/{measure_id}/evidence", response={201: s.EvidenceOut, **ERRORS}, tags=["整改措施"]
)
def measure_evidence(request: HttpRequest, measure_id: int, payload: s.EvidenceIn) -> Any:
    """Attach a document reference (文号, 题名, date, pages)."""
    measure = access.get_measure_for(request.user, measure_id)
    evidence = actions.add_evidence(measure, by=request.user, **payload.dict())  # type: ignore[arg-type]
    return Status(201, _evidence_out(evidence))


@api.post(
    "/measures/{measure_id}/extensions",
    response={201: s.ExtensionOut, **ERRORS},
    tags=["整改措施"],
)
def measure_extension(request: HttpRequest, measure_id: int, payload: s.ExtensionIn) -> Any:
    """The unit asks to move the deadline; the office decides."""
    measure = access.get_measure_for(request.user, measure_id)
    extension = actions.request_extension(measure, by=request.user, **payload.dict())  # type: ignore[arg-type]
    return Status(201, _extension_out(extension))


@api.post(
    "/extensions/{extension_id}/decide", response={200: s.ExtensionOut, **ERRORS}, tags=["延期"]
)
def decide_extension(
    request: HttpRequest, extension_id: int, payload: s.ExtensionDecisionIn
) -> Any:
    """The office approves (the deadline moves) or rejects (with a reason)."""
    extension = access.get_extension_for(request.user, extension_id)
    decided = actions.decide_extension(
        extension,
        by=request.user,  # type: ignore[arg-type]
        approve=payload.approve,
        reason=payload.reason,
    )
    return _extension_out(access.get_extension_for(request.user, decided.pk))


# --- the feedback and its corrections: the same actions and access as the screens ----------


def _aspect_summary(aspect: Aspect) -> dict[str, Any]:
    return {
        "id": aspect.pk,
        "inspection_id": aspect.inspection.pk,
        "no": aspect.no,
        "title": aspect.title,
    }


def _problem_detail(problem: Problem) -> dict[str, Any]:
    fields = ("id", "no", "title", "text", "immediate", "confidential", "cause_analysis")
    return {
        **{name: getattr(problem, name) for name in fields},
        "aspect_id": problem.aspect.pk,
        "withdrawn": problem.withdrawn_at is not None,
    }


@api.post(
    "/inspections/{inspection_id}/aspects",
    response={201: s.AspectSummary, **ERRORS},
    tags=["反馈意见"],
)
def create_aspect(request: HttpRequest, inspection_id: int, payload: s.TitleIn) -> Any:
    """Append an aspect (方面) to the feedback (the group before hand-over, the office)."""
    inspection = access.get_inspection_for(request.user, inspection_id)
    aspect = actions.add_aspect(inspection, by=request.user, title=payload.title)  # type: ignore[arg-type]
    return Status(201, _aspect_summary(aspect))


@api.patch("/aspects/{aspect_id}", response={200: s.AspectSummary, **ERRORS}, tags=["反馈意见"])
def patch_aspect(request: HttpRequest, aspect_id: int, payload: s.TitleIn) -> Any:
    aspect = access.get_aspect_for(request.user, aspect_id)
    return _aspect_summary(actions.update_aspect(aspect, payload.dict(), by=request.user))  # type: ignore[arg-type]


@api.post(
    "/inspections/{inspection_id}/hand-over",
    response={200: s.Detail, **ERRORS},
    tags=["反馈意见"],
)
def hand_over(request: HttpRequest, inspection_id: int) -> Any:
    """交付反馈: the unit sees the inspection from now on."""
    inspection = access.get_inspection_for(request.user, inspection_id)
    actions.hand_over(inspection, by=request.user)  # type: ignore[arg-type]
    return {"detail": "反馈意见已交付被巡察单位。"}


@api.post(
    "/aspects/{aspect_id}/problems", response={201: s.ProblemDetail, **ERRORS}, tags=["反馈意见"]
)
def create_problem(request: HttpRequest, aspect_id: int, payload: s.ProblemIn) -> Any:
    aspect = access.get_aspect_for(request.user, aspect_id)
    details = payload.dict()
    title = details.pop("title")
    problem = actions.add_problem(aspect, by=request.user, title=title, details=details)  # type: ignore[arg-type]
    return Status(201, _problem_detail(problem))


@api.patch("/problems/{problem_id}", response={200: s.ProblemDetail, **ERRORS}, tags=["反馈意见"])
def patch_problem(request: HttpRequest, problem_id: int, payload: s.ProblemPatch) -> Any:
    """Feedback fields (the group before hand-over, the office; 不予公开 the office only) or the
    unit's cause analysis."""
    problem = access.get_problem_for(request.user, problem_id)
    changes = payload.dict(exclude_unset=True)
    return _problem_detail(actions.update_problem(problem, changes, by=request.user))  # type: ignore[arg-type]


@api.post(
    "/problems/{problem_id}/withdraw",
    response={200: s.ProblemDetail, **ERRORS},
    tags=["反馈意见"],
)
def withdraw_problem(request: HttpRequest, problem_id: int, payload: s.WithdrawIn) -> Any:
    """Withdraw a problem with its measures (soft; the office may restore it on screen)."""
    problem = access.get_problem_for(request.user, problem_id)
    withdrawn = actions.withdraw_problem(problem, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
    return _problem_detail(withdrawn)


@api.post(
    "/problems/{problem_id}/measures", response={201: s.MeasureOut, **ERRORS}, tags=["整改措施"]
)
def create_measure(request: HttpRequest, problem_id: int, payload: s.MeasureIn) -> Any:
    """Append a measure to the plan (the unit's leader or liaison, the group, the office)."""
    problem = access.get_problem_for(request.user, problem_id)
    details = payload.dict()
    content = details.pop("content")
    measure = actions.add_measure(problem, by=request.user, content=content, details=details)  # type: ignore[arg-type]
    return Status(201, _measure_out(access.get_measure_for(request.user, measure.pk)))


@api.post("/measures/{measure_id}/withdraw", response={200: s.Detail, **ERRORS}, tags=["整改措施"])
def withdraw_measure(request: HttpRequest, measure_id: int, payload: s.WithdrawIn) -> Any:
    """Withdraw a measure from the plan (soft; the office may restore it on screen)."""
    measure = access.get_measure_for(request.user, measure_id)
    actions.withdraw_measure(measure, by=request.user, reason=payload.reason)  # type: ignore[arg-type]
    return {"detail": "已撤销该整改措施。"}


# The 整改方案's operations (``zhenggai.api.plan``).
plan_api.register(api, ERRORS)

"""Every write of the plan's life: one function per action, each checked by ``ledger.access``
and written in one transaction with its audit event.

Plan states::

    起草中 ─submit_plan→ 已报送待审核 ─approve_plan→ 已审定 (frozen; changes by request)
                            └─return_plan→ 退回修改 ─submit_plan→ 已报送待审核 …

Each submission is a new ``PlanVersion``; each approved change request another one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.ledger import access, audit
from zhenggai.ledger import actions as ledger_actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, ValidationError
from zhenggai.ledger.models import Inspection, Measure, Problem, User
from zhenggai.planning import completeness, lists
from zhenggai.planning.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Plan,
    PlanOpinion,
    PlanStatus,
    PlanVersion,
    VersionStatus,
)
from zhenggai.supervision.deadlines import statutory_deadlines

OWNER_FIELDS = ("responsible_leader", "responsible_department", "responsible_person", "owner")
NEW_MEASURE_FIELDS = ("content", "kind", "deadline", "completion_standard", *OWNER_FIELDS)


def _today() -> dt.date:
    return timezone.localdate()


def _locked_plan(inspection: Inspection) -> Plan:
    """The inspection's plan row (made on first use), locked until the transaction ends."""
    Plan.objects.get_or_create(inspection_id=inspection.pk)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("inspection__round")
    return plan.get(inspection_id=inspection.pk)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, {"reason": [message]})
    return reason


def current_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def _new_version(plan: Plan, by: User, status: str, **fields: Any) -> PlanVersion:
    data = lists.snapshot(lists.three_lists(plan.inspection, _today()))
    plan.version += 1
    plan.save(update_fields=["version", "status"])
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        status=status,
        snapshot=data,
        sha256=lists.digest(data),
        submitted_by=by,
        **fields,
    )


# --- submission and joint review -------------------------------------------------------------


def submit_plan(inspection: Inspection, *, by: User) -> PlanVersion:
    """The unit's leader or liaison submits the plan, if it is complete; after the statutory
    deadline (feedback + ``ZHENGGAI_PLAN_MONTHS``) it is accepted but marked late."""
    with transaction.atomic():
        plan = _locked_plan(inspection)
        scope = access.scope_of(by)
        access.require(scope, plan.inspection, access.may_submit_plan(scope, plan.inspection))
        if plan.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise InvalidTransition(_("整改方案已报送或已审定，不能再次报送。"))
        if gaps := completeness.missing(plan.inspection):
            message = _("整改方案尚不完整，请补充后再报送：") + "；".join(gaps)
            raise ValidationError(message, {"plan": gaps})
        deadlines = statutory_deadlines(plan.inspection.feedback_date)
        due = deadlines.plan if deadlines else None
        plan.status = PlanStatus.SUBMITTED
        version = _new_version(
            plan, by, VersionStatus.SUBMITTED, due=due, late=bool(due and _today() > due)
        )
        audit.record("plan.submit", actor=by, target=version, after=_version_audit(version))
    return version


def _version_audit(version: PlanVersion) -> dict[str, Any]:
    return audit.snapshot(version, fields=("number", "status", "sha256", "late", "due"))


def _submitted(plan: Plan) -> PlanVersion:
    version = current_version(plan)
    if plan.status != PlanStatus.SUBMITTED or version is None:
        raise InvalidTransition(_("整改方案不在审核中。"))
    return version


def record_opinion(
    inspection: Inspection, *, by: User, text: str, agrees: bool = True
) -> PlanOpinion:
    """The office, the group or an observer records its opinion on the version under review
    (once per reviewer and version)."""
    text = _require_reason(text, _("请填写审核意见。"))
    with transaction.atomic():
        plan = _locked_plan(inspection)
        scope = access.scope_of(by)
        role = access.reviewer_role(scope, plan.inspection)
        access.require(scope, plan.inspection, role is not None)
        version = _submitted(plan)
        if version.opinions.filter(reviewer=by).exists():
            raise InvalidTransition(_("您已对该版本提出审核意见。"))
        opinion = PlanOpinion.objects.create(
            version=version, reviewer=by, role=role, agrees=agrees, text=text
        )
        audit.record("plan.opinion", actor=by, target=opinion, after=audit.snapshot(opinion))
    return opinion


def approve_plan(inspection: Inspection, *, by: User, reason: str = "") -> PlanVersion:
    """The office approves the version under review: the plan is frozen."""
    return _decide_plan(inspection, by, approve=True, reason=reason.strip())


def return_plan(inspection: Inspection, *, by: User, reason: str) -> PlanVersion:
    """The office returns the version under review with its reasons; the unit revises it."""
    reason = _require_reason(reason, _("退回整改方案时必须说明理由。"))
    return _decide_plan(inspection, by, approve=False, reason=reason)


def _decide_plan(inspection: Inspection, by: User, *, approve: bool, reason: str) -> PlanVersion:
    with transaction.atomic():
        plan = _locked_plan(inspection)
        scope = access.scope_of(by)
        access.require(scope, plan.inspection, access.may_approve_plan(scope, plan.inspection))
        version = _submitted(plan)
        before = _version_audit(version)
        version.status = VersionStatus.APPROVED if approve else VersionStatus.RETURNED
        version.decided_by, version.decided_at = by, timezone.now()
        version.decision_reason = reason
        version.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        plan.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
        plan.save(update_fields=["status"])
        action = "plan.approve" if approve else "plan.return"
        after = _version_audit(version)
        audit.record(action, actor=by, target=version, before=before, after=after, detail=reason)
    return version


# --- change requests after approval ----------------------------------------------------------


def request_change(
    inspection: Inspection,
    *,
    by: User,
    kind: str,
    reason: str,
    measure: Measure | None = None,
    problem: Problem | None = None,
    changes: Mapping[str, Any] | None = None,
) -> ChangeRequest:
    """The unit asks to change its approved plan; the office decides (``decide_change``)."""
    reason = _require_reason(reason, _("申请变更整改方案必须说明理由。"))
    with transaction.atomic():
        plan = _locked_plan(inspection)
        scope = access.scope_of(by)
        access.require(scope, plan.inspection, access.may_submit_plan(scope, plan.inspection))
        if plan.status != PlanStatus.APPROVED:
            raise InvalidTransition(_("整改方案审定后才需申请变更；审定前请直接修改。"))
        cleaned = _clean_request(plan.inspection, kind, measure, problem, dict(changes or {}))
        if (
            measure
            and ChangeRequest.objects.filter(measure=measure, status=ChangeStatus.PENDING).exists()
        ):
            raise InvalidTransition(_("该措施已有一项变更申请待审批。"))
        change = ChangeRequest.objects.create(
            plan=plan,
            kind=kind,
            measure=measure,
            problem=problem if kind == ChangeKind.NEW_MEASURE else None,
            changes=cleaned,
            reason=reason,
            requested_by=by,
        )
        audit.record("plan.change_request", actor=by, target=change, after=audit.snapshot(change))
    return change


def _clean_request(
    inspection: Inspection,
    kind: str,
    measure: Measure | None,
    problem: Problem | None,
    changes: dict[str, Any],
) -> dict[str, Any]:
    if kind not in ChangeKind.values:
        raise ValidationError(_("变更类型有误。"), {"kind": [_("变更类型有误。")]})
    if kind == ChangeKind.NEW_MEASURE:
        if problem is None or problem.aspect.inspection_id != inspection.pk:
            raise ValidationError(_("请选择本次巡察反馈的问题。"), {"problem": [_("请选择问题。")]})
        if not str(changes.get("content", "")).strip():
            raise ValidationError(_("整改措施不能为空。"), {"content": [_("整改措施不能为空。")]})
        return _only(changes, NEW_MEASURE_FIELDS)
    if measure is None or measure.inspection_id != inspection.pk:
        raise ValidationError(_("请选择本次巡察的整改措施。"), {"measure": [_("请选择措施。")]})
    if kind == ChangeKind.NEW_OWNER:
        cleaned = _only(changes, OWNER_FIELDS)
        if not cleaned:
            message = _("请填写新的责任领导、责任部门或责任人。")
            raise ValidationError(message, {"responsible_person": [message]})
        return cleaned
    if kind == ChangeKind.NEW_DEADLINE:
        return {"deadline": _new_deadline(measure, changes.get("deadline"))}
    return {}


def _only(changes: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = changes.get(name)
        if value not in (None, ""):
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _new_deadline(measure: Measure, value: Any) -> str:
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(_("请填写新的完成时限。"), {"deadline": [_("请填写新的完成时限。")]})
    if measure.deadline is not None and day == measure.deadline:
        message = _("新的完成时限与原完成时限相同。")
        raise ValidationError(message, {"deadline": [message]})
    return day.isoformat()


def decide_change(
    change: ChangeRequest, *, by: User, approve: bool, reason: str = ""
) -> ChangeRequest:
    """The office approves (the change is applied and the plan gets a new version) or rejects
    (with a reason; nothing changes)."""
    if not approve:
        reason = _require_reason(reason, _("不予变更时必须说明理由。"))
    with transaction.atomic():
        plan = _locked_plan(change.plan.inspection)
        scope = access.scope_of(by)
        access.require(scope, plan.inspection, access.may_approve_plan(scope, plan.inspection))
        row = ChangeRequest.objects.select_for_update().filter(pk=change.pk, plan=plan).first()
        if row is None:
            raise NotFound()
        if row.status != ChangeStatus.PENDING:
            raise InvalidTransition(_("该变更申请已审批。"))
        before = audit.snapshot(row)
        if approve:
            with access.applying_plan_change():
                _apply(row)
            row.version = _new_version(
                plan, row.requested_by, VersionStatus.APPROVED, decided_by=by,
                decided_at=timezone.now(), decision_reason=reason.strip(),
            )  # fmt: skip
        row.status = ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED
        row.decided_by, row.decided_at = by, timezone.now()
        row.decision_reason = reason.strip()
        row.save()
        action = "plan.change_approve" if approve else "plan.change_reject"
        audit.record(action, actor=by, target=row, before=before, after=audit.snapshot(row))
    return row


def _apply(change: ChangeRequest) -> None:
    """Apply an approved change through the ledger's own actions, as the unit's requester
    (the edit is theirs; the office's approval is what allows it on a frozen plan)."""
    unit_user = change.requested_by
    if change.kind == ChangeKind.NEW_MEASURE:
        problem = Problem.objects.select_related("aspect").get(pk=change.problem_id)
        details = {k: v for k, v in change.changes.items() if k != "content"}
        measure = ledger_actions.add_measure(
            problem, by=unit_user, content=change.changes["content"], details=details
        )
        change.measure = measure
        return
    measure = _measure_of(change)
    if change.kind == ChangeKind.NEW_OWNER:
        ledger_actions.update_measure(
            measure, change.changes, by=unit_user, expected_version=measure.version
        )
    elif change.kind == ChangeKind.NEW_DEADLINE:
        _move_deadline(measure, dt.date.fromisoformat(change.changes["deadline"]), change)
    else:
        _withdraw(measure, change)


def _measure_of(change: ChangeRequest) -> Measure:
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("inspection__round")
        .filter(pk=change.measure_id)
        .first()
    )
    if measure is None:
        raise InvalidTransition(_("该措施已不存在。"))
    return measure


def _move_deadline(measure: Measure, day: dt.date, change: ChangeRequest) -> None:
    """A new deadline, as an approved extension moves it (the unit cannot edit a set one)."""
    before = audit.snapshot(measure)
    measure.deadline = day
    measure.version += 1
    measure.updated_at = timezone.now()
    measure.save(update_fields=["deadline", "version", "updated_at"])
    after = audit.snapshot(measure)
    detail = f"change request {change.pk}"
    audit.record(
        "measure.update", actor=change.requested_by, target=measure, before=before, after=after,
        detail=detail,
    )  # fmt: skip


def _withdraw(measure: Measure, change: ChangeRequest) -> None:
    """Remove a measure the plan no longer needs; never one with evidence, nor a problem's
    last (every problem keeps an answer)."""
    if measure.evidence.exists():
        raise InvalidTransition(_("该措施已有佐证材料，不能撤销。"))
    if not Measure.objects.filter(problem_id=measure.problem_id).exclude(pk=measure.pk).exists():
        raise InvalidTransition(_("这是该问题唯一的整改措施，不能撤销；请先申请新增措施。"))
    before = audit.snapshot(measure)
    change.changes = {**change.changes, "withdrawn": before}
    audit.record("measure.withdraw", actor=change.requested_by, target=measure, before=before)
    measure.delete()
    change.measure = None

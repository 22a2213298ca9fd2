"""Escalation of overdue work: the inspection office issues a 督办单, then records a 约谈.

Both are actions in the ledger's sense: they check who may act (``access``: outsiders
``NotFound``, others ``PermissionDenied``), validate, save, and write the audit event in one
transaction. Only the inspection office of the region that runs the inspection may act, and
never on its own unit (the same rule as verification, ``access.may_decide``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import Evidence, Measure, Region, Unit, User
from zhenggai.supervision.deadlines import DONE_STATUSES
from zhenggai.supervision.models import (
    Interview,
    OrderReply,
    OrderStatus,
    ReplyOutcome,
    SupervisionOrder,
)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, {field: [message]})
    return value


def _locked_measure(measure: Measure) -> Measure:
    queryset = Measure.objects.select_for_update(of=("self",)).select_related(
        "inspection__round", "inspection__unit"
    )
    found = queryset.filter(pk=measure.pk).first()
    if found is None:
        raise NotFound()
    return found


def _require_office(by: User, measure: Measure) -> None:
    scope = access.scope_of(by)
    access.require(scope, measure.inspection, access.may_decide(scope, measure))


# --- 督办单 ---------------------------------------------------------------------------------


def issue_supervision_order(
    measure: Measure, *, by: User, required_action: str, reply_by: dt.date
) -> SupervisionOrder:
    """Issue a 督办单 about an overdue measure (not done, deadline passed). Numbered
    督〔year〕n号, n counting per region and year from 1."""
    with transaction.atomic():
        current = _locked_measure(measure)
        _require_office(by, current)
        today = timezone.localdate()
        _check_overdue(current, today)
        action = _text(required_action, "required_action", _("请填写督办事项。"))
        _check_reply_by(reply_by, today)
        region_id = current.inspection.round.region_id
        order = SupervisionOrder.objects.create(
            region_id=region_id,
            year=today.year,
            seq=_next_seq(region_id, today.year),
            measure=current,
            deadline=current.deadline,
            required_action=action,
            reply_by=reply_by,
            issued_by=by,
        )
        audit.record("supervision.order.issue", actor=by, target=order, after=audit.snapshot(order))
    return order


def _check_overdue(measure: Measure, today: dt.date) -> None:
    overdue = measure.deadline is not None and measure.deadline < today
    if not overdue or measure.status in DONE_STATUSES:
        raise InvalidTransition(_("只有逾期未完成的整改措施可以下发督办单。"))


def _check_reply_by(reply_by: dt.date | None, today: dt.date) -> None:
    if not isinstance(reply_by, dt.date) or reply_by < today:
        message = _("回复期限不能早于今天。")
        raise ValidationError(message, {"reply_by": [message]})


def _next_seq(region_id: int, year: int) -> int:
    """The next number in the region's year. Locking the region's row makes two offices' clerks
    issuing at once take turns (PostgreSQL); SQLite serialises writers already. The unique
    constraint on (region, year, seq) is the backstop."""
    Region.objects.select_for_update().filter(pk=region_id).first()
    orders = SupervisionOrder.objects.filter(region_id=region_id, year=year)
    return int(orders.aggregate(last=Max("seq"))["last"] or 0) + 1


def orders_for(user: Any) -> QuerySet[SupervisionOrder]:
    """The 督办单 about measures the user may read (the unit sees the orders it received)."""
    return SupervisionOrder.objects.filter(measure__in=access.measures_for(user)).select_related(
        "region", "measure__inspection__unit", "measure__problem", "issued_by"
    )


def get_order_for(user: Any, pk: Any) -> SupervisionOrder:
    return access.get_one(orders_for(user), pk)


def order_document_fields(order: SupervisionOrder, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the 督办单 document shows, as plain values (for ``reports``)."""
    measure = order.measure
    inspection = measure.inspection
    issued_on = timezone.localdate(order.issued_at)
    return {
        "number": order.number,
        "region": str(order.region),
        "unit": str(inspection.unit.name),
        "inspection": str(inspection.title or inspection),
        "problem": str(measure.problem.title),
        "measure": str(measure.content),
        "responsible_person": measure.responsible_person,
        "owners": owners_of(measure),
        "deadline": order.deadline,
        "days_overdue": (issued_on - order.deadline).days,
        "required_action": order.required_action,
        "reply_by": order.reply_by,
        "issued_by": order.issued_by.get_full_name() or order.issued_by.get_username(),
        "issued_on": issued_on,
        "status": order.get_status_display(),
    }


def owners_of(measure: Measure) -> str:
    """责任领导、责任部门、责任人, as the 督办单 names them."""
    names = [measure.responsible_leader, measure.responsible_department, measure.responsible_person]
    return "、".join(name for name in names if name)


# --- the unit's answer and the office's close-out -------------------------------------------


def _locked_order(order: SupervisionOrder, by: User) -> SupervisionOrder:
    """The order, locked, if ``by`` may read its measure (``NotFound`` otherwise)."""
    readable = SupervisionOrder.objects.filter(measure__in=access.measures_for(by))
    found = readable.select_for_update(of=("self",)).filter(pk=order.pk).first()
    if found is None:
        raise NotFound()
    found.measure = _locked_measure(found.measure)
    return found


def answer_order(
    order: SupervisionOrder,
    *,
    by: User,
    text: str,
    evidence: list[Evidence] | None = None,
    files: list[File[Any]] | None = None,
) -> OrderReply:
    """The unit's leader or liaison answers an issued (or returned) 督办单: what was done, with
    evidence of the order's measure — existing items, or new files, which are added to the
    measure by ``actions.add_evidence`` (its checks and upload limits) in the same transaction.
    The order becomes 已回复, awaiting the office."""
    with transaction.atomic():
        current = _locked_order(order, by)
        scope = access.scope_of(by)
        access.require(
            scope, current.measure.inspection, access.may_answer_order(scope, current.measure)
        )
        if current.status != OrderStatus.ISSUED:
            raise InvalidTransition(_("该督办单已回复或已办结，不能再次回复。"))
        body = _text(text, "text", _("请填写回复内容。"))
        attached = _own_evidence(current, evidence or [])
        attached += [actions.add_evidence(current.measure, by=by, file=f) for f in files or []]
        reply = OrderReply.objects.create(order=current, text=body, replied_by=by)
        reply.evidence.set(attached)
        current.status = OrderStatus.REPLIED
        current.save(update_fields=["status"])
        after = {**audit.snapshot(reply), "evidence": [e.pk for e in attached]}
        audit.record("supervision.order.reply", actor=by, target=current, after=after)
    return reply


def _own_evidence(order: SupervisionOrder, evidence: list[Evidence]) -> list[Evidence]:
    """Only the evidence of the order's own measure may be attached."""
    ids = {e.pk for e in evidence}
    found = list(Evidence.objects.filter(measure_id=order.measure_id, pk__in=ids))
    if len(found) != len(ids):
        message = _("只能附上本整改措施的佐证材料。")
        raise ValidationError(message, {"evidence": [message]})
    return found


def close_order(order: SupervisionOrder, *, by: User, note: str = "") -> SupervisionOrder:
    """The office accepts the unit's answer: the order is 已办结."""
    return _review(order, by, ReplyOutcome.CLOSED, (note or "").strip())


def return_order(order: SupervisionOrder, *, by: User, reason: str) -> SupervisionOrder:
    """The office returns the answer for a better one, with a reason: 已下发 again."""
    return _review(order, by, ReplyOutcome.RETURNED, (reason or "").strip())


def _review(order: SupervisionOrder, by: User, outcome: str, note: str) -> SupervisionOrder:
    with transaction.atomic():
        current = _locked_order(order, by)
        _require_office(by, current.measure)
        reply = current.replies.filter(outcome=ReplyOutcome.PENDING).order_by("-id").first()
        if current.status != OrderStatus.REPLIED or reply is None:
            raise InvalidTransition(_("该督办单尚未回复，不能办结或退回。"))
        if outcome == ReplyOutcome.RETURNED and not note:
            message = _("请填写退回理由。")
            raise ValidationError(message, {"reason": [message]})
        before = audit.snapshot(current)
        reply.outcome, reply.reviewed_by, reply.reviewed_at = outcome, by, timezone.now()
        reply.review_note = note
        reply.save(update_fields=["outcome", "reviewed_by", "reviewed_at", "review_note"])
        closed = outcome == ReplyOutcome.CLOSED
        current.status = OrderStatus.CLOSED if closed else OrderStatus.ISSUED
        current.save(update_fields=["status"])
        action = "supervision.order.close" if closed else "supervision.order.return"
        after = {**audit.snapshot(current), "reply": reply.pk, "note": note}
        audit.record(action, actor=by, target=current, before=before, after=after)
    return current


def latest_reply(order: SupervisionOrder) -> OrderReply | None:
    return order.replies.order_by("-replied_at", "-id").first()


# --- 约谈 -----------------------------------------------------------------------------------


def record_interview(
    target: Measure | Unit, *, by: User, date: dt.date, people: str, summary: str
) -> Interview:
    """Record a 约谈 held about a measure (linked to its latest 督办单, if any) or a unit."""
    with transaction.atomic():
        measure, unit = _interview_target(target, by)
        people = _text(people, "people", _("请填写约谈对象及参加人员。"))
        summary = _text(summary, "summary", _("请填写约谈情况。"))
        _check_interview_date(date)
        interview = Interview.objects.create(
            unit=unit,
            measure=measure,
            order=_latest_order(measure),
            date=date,
            people=people,
            summary=summary,
            recorded_by=by,
        )
        audit.record(
            "supervision.interview.record",
            actor=by,
            target=interview,
            after=audit.snapshot(interview),
        )
    return interview


def _latest_order(measure: Measure | None) -> SupervisionOrder | None:
    if measure is None:
        return None
    return SupervisionOrder.objects.filter(measure=measure).order_by("-issued_at", "-id").first()


def _interview_target(target: Measure | Unit, by: User) -> tuple[Measure | None, Unit]:
    if isinstance(target, Measure):
        measure = _locked_measure(target)
        _require_office(by, measure)
        return measure, measure.inspection.unit
    unit = Unit.objects.select_related("region").filter(pk=target.pk).first()
    if unit is None:
        raise NotFound()
    scope = access.scope_of(by)
    if not access.may_read_unit(scope, unit):
        raise NotFound()
    if not access.is_deciding_office(scope, unit.region.pk, unit.pk):
        raise PermissionDenied()
    return None, unit


def _check_interview_date(date: dt.date | None) -> None:
    if not isinstance(date, dt.date) or date > timezone.localdate():
        message = _("约谈日期不能晚于今天。")
        raise ValidationError(message, {"date": [message]})

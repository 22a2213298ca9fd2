"""Template helpers of supervision: the reminder bell and the office's escalation panel on a
measure (whether the user may download an inspection's reports is asked of the rulebook with
``{% may "download_reports" inspection %}``, ``zhenggai_access``)."""

from __future__ import annotations

from typing import Any

from django import template

from zhenggai.ledger import access
from zhenggai.ledger.models import Measure
from zhenggai.supervision import escalation, reminders
from zhenggai.supervision.deadlines import DONE_STATUSES
from zhenggai.supervision.models import Interview, OrderStatus
from zhenggai.web import queries
from zhenggai.web.forms_supervision import (
    InterviewForm,
    OrderReplyForm,
    OrderReviewForm,
    SupervisionOrderForm,
)

register = template.Library()


@register.simple_tag
def unread_reminder_count(user: Any) -> int:
    """The bell's number (one count, plus resolving the user's scope)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return reminders.unread_reminders(user).count()


@register.inclusion_tag("web/_escalation.html", takes_context=True)
def escalation_panel(context: Any, measure: Measure) -> dict[str, Any]:
    """The 督办单 and 约谈 of a measure; to the office that may escalate it, when it is
    overdue and not done, the forms to issue one and to record one."""
    user = context["user"]
    scope = access.scope_of(user)
    overdue = measure.deadline is not None and measure.deadline < queries.today()
    office = access.may_decide(scope, measure) and measure.status not in DONE_STATUSES
    orders = escalation.orders_for(user).filter(measure=measure).order_by("-issued_at", "-id")
    orders = orders.prefetch_related("replies__evidence", "replies__replied_by")
    answerable = access.may_answer_order(scope, measure)
    reviewer = access.may_review_order(scope, measure)
    rows = [
        {
            "order": order,
            "replies": list(order.replies.all()),
            "reply_form": (
                OrderReplyForm(measure=measure)
                if answerable and order.status == OrderStatus.ISSUED
                else None
            ),
            "review_form": (
                OrderReviewForm() if reviewer and order.status == OrderStatus.REPLIED else None
            ),
        }
        for order in orders
    ]
    return {
        "measure": measure,
        "orders": rows,
        "interviews": list(
            Interview.objects.filter(measure=measure).select_related("order", "recorded_by")
        ),
        "order_form": SupervisionOrderForm() if office and overdue else None,
        "interview_form": InterviewForm() if office else None,
        "csrf_token": context.get("csrf_token"),
    }

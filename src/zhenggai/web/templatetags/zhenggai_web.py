"""Template helpers: the light of a measure and the roles of the signed-in user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from zhenggai.ledger.models import Membership
from zhenggai.ledger.people import display_name
from zhenggai.notice.numerals import int_to_cn
from zhenggai.web import lights

register = template.Library()

# The light labels of ``supervision.deadlines``, marked here for the catalogue.
_LIGHT_LABELS = (gettext_noop("正常"), gettext_noop("临期"), gettext_noop("逾期"))
# The workflow buttons of ``web.workflow.STEPS``, in their own context: 退回 is the button
# "Return" here and the status "Returned" elsewhere.
_STEP_LABELS = (
    pgettext_lazy("workflow step", "开始整改"),
    pgettext_lazy("workflow step", "提交验收"),
    pgettext_lazy("workflow step", "验收销号"),
    pgettext_lazy("workflow step", "确认阶段性完成"),
    pgettext_lazy("workflow step", "退回"),
    pgettext_lazy("workflow step", "重新打开"),
    pgettext_lazy("workflow step", "填报进展"),
)


@register.filter
def light(measure: Any, today: dt.date) -> str:
    """The measure's light, behind plan included (its inspection should be joined)."""
    start = measure.inspection.feedback_date
    return lights.light(measure.status, measure.deadline, today, start=start)


@register.filter
def cn_no(value: int) -> str:
    """1 → 一: aspects and problems are numbered 一、 and （一） as in the notice."""
    return int_to_cn(int(value))


@register.filter
def light_label(value: str) -> str:
    label = lights.LIGHT_LABELS.get(value, "")
    return gettext(label) if label else ""


@register.filter
def step_label(label: str) -> str:
    """A workflow button's label (``Step.label``, kept in Chinese) in the user's language."""
    return pgettext("workflow step", label)


@register.filter
def person(user: Any) -> str:
    """A user as colleagues know them: 姓名, else the login name."""
    return display_name(user)


@register.simple_tag
def roles_of(user: Any) -> str:
    """“巡察办（龙亭区）”, one per membership, for the page header."""
    if not getattr(user, "is_authenticated", False):
        return ""
    rows = Membership.objects.filter(user=user).select_related("region", "unit", "group")
    parts = []
    for row in rows:
        scope = row.region or row.unit or row.group
        parts.append(f"{row.get_role_display()}（{scope}）" if scope else row.get_role_display())
    return "、".join(parts)

"""The change history table shown on measures, inspections and problems (``web/_history.html``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from zhenggai.ledger.models import AuditEvent
from zhenggai.web import history

register = template.Library()


@register.inclusion_tag("web/_history.html")
def history_table(events: Iterable[AuditEvent], table_id: str = "") -> dict[str, Any]:
    """Time, actor, action, target and the fields before → after, newest first."""
    return {"rows": history.rows(events), "table_id": table_id}


@register.filter
def problem_events(tree: history.TreeHistory | None, problem_id: int) -> list[AuditEvent]:
    return tree.of_problem(problem_id) if tree is not None else []

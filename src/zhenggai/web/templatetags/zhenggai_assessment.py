"""Template helpers of the review: a measure's findings on its page, evidence highlighted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhenggai.assessment.review_adapter import inspection_snapshot
from zhenggai.ledger import access
from zhenggai.ledger.models import Measure
from zhenggai.review import review_measure, rule_by_id

register = template.Library()


@register.filter
def highlight(text: str, evidence: Iterable[str]) -> SafeString:
    """The text escaped, with every evidence word in ``<mark>``; longest words first, so that
    a word inside a longer one does not split it."""
    words = sorted({w for w in evidence if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every piece escaped above


@register.filter
def rule_name(rule_id: str) -> str:
    return rule_by_id(rule_id).name


@register.inclusion_tag("web/_measure_review.html", takes_context=True)
def measure_review(context: dict[str, Any], measure: Measure) -> dict[str, Any]:
    """The review of one measure, for those who may see the review (else nothing)."""
    scope = access.scope_of(context["user"])
    inspection = measure.inspection
    if not access.may_review_inspection(scope, inspection):
        return {"shown": False}
    snapshot = inspection_snapshot(inspection)
    key = (measure.problem.aspect.no, measure.problem.no, measure.no)
    view = next(m for m in snapshot.measures() if (m.aspect, m.problem, m.no) == key)
    # This measure's findings only: reviewing the whole inspection compares every pair.
    result = review_measure(snapshot, view)
    findings = result.measure_findings(view)
    return {
        "shown": True,
        "measure": measure,
        "view": view,
        "score": result.measure_score(view),
        "findings": findings,
        "evidence": [word for finding in findings for word in finding.evidence],
        "office": access.may_assess(scope, inspection),
    }

"""The rulebook in templates: ``{% may "download_reports" inspection as allowed %}`` asks
``ledger.access.may_download_reports`` for the current user, so a template never spells a rule
of its own (issue #14: every ``may_*`` lives in ``ledger/access.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from zhenggai.ledger import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: Any, rule: str, *objects: Any) -> bool:
    """Whether the user of the request may do ``rule`` (``access.may_<rule>``) on ``objects``.
    An unknown rule is a programming error, so it raises rather than silently hiding controls."""
    predicate = getattr(access, f"may_{rule}", None)
    if predicate is None:
        raise template.TemplateSyntaxError(f"no rule access.may_{rule}")
    return bool(predicate(access.scope_of(context["user"]), *objects))

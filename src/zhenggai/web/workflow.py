"""The workflow buttons: which action a name stands for, and which the user may press now.

Shared by the screens and the API, so both offer the same actions under the same names. The
availability below only decides what to *show*; the action itself checks again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from zhenggai.ledger import access, actions
from zhenggai.ledger.access import Scope
from zhenggai.ledger.errors import LedgerError, ValidationError
from zhenggai.ledger.models import (
    Measure,
    MeasureKind,
    MeasureStatus,
)

Status = MeasureStatus


@dataclass(frozen=True)
class Step:
    # Marked for translation, kept in Chinese: the API documents each operation with it, and
    # the templates translate it (the ``step_label`` filter).
    label: str
    act: Callable[[Measure, Any, str], object]
    may: Callable[[Scope, Measure], bool]
    statuses: tuple[str, ...]
    needs_text: bool = False


def _is_ongoing(measure: Measure) -> bool:
    return bool(measure.kind == MeasureKind.ONGOING)


STEPS: dict[str, Step] = {
    "start": Step(
        _("开始整改"),
        lambda m, by, _: actions.start_work(m, by=by),
        access.may_work_on,
        (Status.NOT_STARTED,),
    ),
    "submit": Step(
        _("提交验收"),
        lambda m, by, _: actions.submit_for_closure(m, by=by),
        access.may_submit,
        (Status.IN_PROGRESS, Status.RETURNED),
    ),
    "close-out": Step(
        _("验收销号"),
        lambda m, by, text: actions.verify_and_close_out(m, by=by, note=text),
        lambda scope, m: access.may_decide(scope, m) and not _is_ongoing(m),
        (Status.SUBMITTED,),
    ),
    "phase-complete": Step(
        _("确认阶段性完成"),
        lambda m, by, text: actions.mark_phase_complete(m, by=by, note=text),
        lambda scope, m: access.may_decide(scope, m) and _is_ongoing(m),
        (Status.SUBMITTED,),
    ),
    "return": Step(
        _("退回"),
        lambda m, by, text: actions.return_measure(m, by=by, reason=text),
        access.may_decide,
        (Status.SUBMITTED,),
        needs_text=True,
    ),
    "reopen": Step(
        _("重新打开"),
        lambda m, by, text: actions.reopen(m, by=by, reason=text),
        access.may_decide,
        (Status.CLOSED, Status.PHASE_COMPLETE),
        needs_text=True,
    ),
    "progress": Step(
        _("填报进展"),
        lambda m, by, text: actions.record_progress(m, by=by, text=text),
        access.may_work_on,
        (Status.IN_PROGRESS, Status.RETURNED, Status.PHASE_COMPLETE),
        needs_text=True,
    ),
}


def available_steps(user: Any, measure: Measure) -> list[tuple[str, Step]]:
    scope = access.scope_of(user)
    return [
        (name, step)
        for name, step in STEPS.items()
        if measure.status in step.statuses and step.may(scope, measure)
    ]


def message_of(exc: LedgerError) -> str:
    """The message for a refusal, with the field errors of a ``ValidationError``."""
    details = [m for messages in getattr(exc, "errors", {}).values() for m in messages]
    if details and exc.message == gettext(ValidationError.default_message):
        return "；".join(details)
    return exc.message

"""Work on many measures at once: assign an owner, reschedule, submit, close out.

Each bulk operation is one transaction and all-or-nothing: every measure goes through the
single-measure action (``ledger.actions``), which checks that user's permission on that
measure with the access predicates, its status and its rules, and writes its own audit event;
the operation then records one ``measure.bulk_*`` event naming all of them. When any measure
is refused, nothing is written and ``BulkRefused`` lists each refused measure with its reason.

Rescheduling follows the extension rule: a measure without a deadline gets it directly; one
whose deadline is set gets an extension request for the office to decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import LedgerError, ValidationError
from zhenggai.ledger.models import Measure, User

# A bulk operation refuses more than this many measures at once: a page of the tree or a list.
MAX_MEASURES = 500

Step = Callable[[Measure], Any]


class BulkRefused(ValidationError):
    """Some measures were refused; ``refusals`` pairs each one's label with the reason."""

    def __init__(self, refusals: list[tuple[str, str]]) -> None:
        self.refusals = refusals
        listed = "；".join(f"{label}：{reason}" for label, reason in refusals)
        message = _("未执行，以下 %(n)d 项措施不能办理（其余措施也未改动）：%(list)s") % {
            "n": len(refusals),
            "list": listed,
        }
        super().__init__(message)


def label(measure: Measure) -> str:
    """The measure as the tree numbers it: 一（二）3."""
    from zhenggai.planning.lists import measure_number

    return _("措施%(number)s") % {"number": measure_number(measure)}


def assign(ids: Iterable[int], *, by: User, owner: User) -> list[Measure]:
    """Make ``owner`` the 责任人 account of every measure (the unit's leader or liaison)."""

    def step(measure: Measure) -> Measure:
        changes = {"owner": owner}
        return actions.update_measure(measure, changes, by=by, expected_version=measure.version)

    return _run("measure.bulk_assign", ids, by, step, detail=owner.get_username())


def reschedule(ids: Iterable[int], *, by: User, deadline: dt.date, reason: str) -> list[Measure]:
    """Set ``deadline`` where none is set; elsewhere request the extension to it."""

    def step(measure: Measure) -> Measure:
        if measure.deadline is None:
            changes = {"deadline": deadline}
            return actions.update_measure(measure, changes, by=by, expected_version=measure.version)
        actions.request_extension(measure, by=by, deadline=deadline, reason=reason)
        return measure

    return _run("measure.bulk_reschedule", ids, by, step, detail=f"{deadline} {reason}".strip())


def submit(ids: Iterable[int], *, by: User) -> list[Measure]:
    """整改中/退回 → 已提交待验收 for each measure (the unit's leader or liaison)."""
    return _run("measure.bulk_submit", ids, by, lambda m: actions.submit_for_closure(m, by=by))


def close_out(ids: Iterable[int], *, by: User, note: str = "") -> list[Measure]:
    """已提交待验收 → 已销号 for each measure (the office, never on its own unit's work)."""

    def step(measure: Measure) -> Measure:
        return actions.verify_and_close_out(measure, by=by, note=note)

    return _run("measure.bulk_close_out", ids, by, step, detail=note.strip())


OPERATIONS = {
    "assign": gettext_noop("指定责任人"),
    "reschedule": gettext_noop("调整完成时限"),
    "submit": gettext_noop("提交验收"),
    "close": gettext_noop("验收销号"),
}


def _run(action: str, ids: Iterable[int], by: User, step: Step, detail: str = "") -> list[Measure]:
    wanted = sorted(set(ids))
    if not wanted:
        raise ValidationError(_("请先勾选要办理的整改措施。"))
    if len(wanted) > MAX_MEASURES:
        raise ValidationError(_("一次最多办理 %(n)d 项措施。") % {"n": MAX_MEASURES})
    with transaction.atomic():
        measures = _visible(by, wanted)
        unseen = _("未找到，或您无权查看。")
        refusals = [(f"#{pk}", unseen) for pk in wanted if pk not in measures]
        done = []
        for measure in measures.values():
            try:
                with transaction.atomic():  # a savepoint: a refused measure leaves no trace
                    done.append(step(measure))
            except LedgerError as exc:
                refusals.append((label(measure), _message(exc)))
        if refusals:
            raise BulkRefused(refusals)  # leaves the outer block: every change rolls back
        after = {"measures": [m.pk for m in done]}
        audit.record(action, actor=by, after=after, detail=detail)
    return done


def _visible(by: User, ids: list[int]) -> dict[int, Measure]:
    """The measures the user may see, in the tree's order."""
    rows = (
        access.measures_for(by)
        .filter(pk__in=ids)
        .select_related("problem__aspect", "inspection__round")
        .order_by("inspection_id", "problem__aspect__no", "problem__no", "no", "id")
    )
    return {m.pk: m for m in rows}


def _message(exc: LedgerError) -> str:
    """The refusal's own words: a field rule's message rather than the generic one."""
    details = [m for messages in getattr(exc, "errors", {}).values() for m in messages]
    generic = exc.message == gettext(ValidationError.default_message)
    return "；".join(details) if details and generic else exc.message

"""Finding the reminders due today and sending each exactly once.

Who is told:
  a measure's deadline                 its owner (if it has an account) and the unit's liaisons
  a 长期坚持 measure's report date     the same people
  the plan and the reports              the unit's liaisons and leader(s)
  what the office must decide           the inspection office of the round's region: each
    (a pending extension request, an     pending item once, on the run after it arose
    answered 督办单, a submitted measure)
Measures that are done (已销号, 阶段性完成) get no deadline reminders; 长期坚持 report reminders
go on until the measure is closed.

Exactly once: every reminder is a ``Reminder`` row under a unique constraint on (target,
recipient, subject, stage, deadline), created with ``get_or_create`` in its own transaction.
Two runs at once on PostgreSQL: the second INSERT waits for the first to commit, fails the
constraint, and ``get_or_create`` returns the existing row as not created — only the run that
created a row goes on to e-mail it. E-mails are sent after the row is committed, under a row
lock (``SKIP LOCKED``), and ``emailed_at`` is set only once the server accepted the message, so
a failed e-mail is retried by the next run and a sent one never is.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import (
    DeadlineExtension,
    DecisionKind,
    ExtensionStatus,
    Inspection,
    Measure,
    MeasureKind,
    MeasureStatus,
    Membership,
    Role,
    User,
)
from zhenggai.supervision import deadlines as dl
from zhenggai.supervision.models import Channel, OrderReply, Reminder, ReplyOutcome, Subject

log = logging.getLogger(__name__)
CHUNK = 1000
# The stage of an office reminder: something waits for its decision (the deadline slot holds
# the day it arose, so a new request or a new answer is a new reminder).
TO_DECIDE = "to_decide"
OFFICE_SUBJECTS = frozenset({Subject.EXTENSION, Subject.ORDER_REPLY, Subject.VERIFY})


@dataclass(frozen=True)
class Due:
    """A reminder that should exist: the key of the unique constraint, plus the inspection."""

    inspection_id: int
    measure_id: int | None
    recipient_id: int
    subject: str
    kind: str
    deadline: dt.date

    def key(self) -> tuple[Any, ...]:
        # Measure ids and (negated) inspection ids in one slot, as the two constraints do.
        target = self.measure_id if self.measure_id is not None else -self.inspection_id
        return (target, self.recipient_id, self.subject, self.kind, self.deadline)


@dataclass
class RunResult:
    today: dt.date
    due: list[Due] = field(default_factory=list)  # not sent before
    created: int = 0
    emailed: int = 0
    email_failed: int = 0


# --- what is due ---------------------------------------------------------------------------


def due_reminders(today: dt.date, rules: dl.Rules | None = None) -> list[Due]:
    """Every reminder today calls for that has not been sent yet."""
    rules = rules or dl.Rules.from_settings()
    wanted = [*_measure_dues(today, rules), *_review_dues(today, rules)]
    wanted += _statutory_dues(today, rules)
    wanted += _office_dues(today)
    return [due for chunk in _chunks(wanted) for due in _not_sent(chunk)]


def _measure_dues(today: dt.date, rules: dl.Rules) -> Iterator[Due]:
    horizon = today + dt.timedelta(days=max(rules.reminder_days, default=0))
    rows = (
        Measure.objects.exclude(status__in=dl.DONE_STATUSES)
        .filter(
            deadline__isnull=False, deadline__lte=horizon, inspection__withdrawn_at__isnull=True
        )
        .order_by("pk")
        .values_list(
            "pk", "inspection_id", "inspection__unit_id", "owner_id", "owner__is_active", "deadline"
        )
    )
    yield from _measure_rows(rows, Subject.MEASURE, today, rules, after=True)


def _review_dues(today: dt.date, rules: dl.Rules) -> Iterator[Due]:
    measures = (
        Measure.objects.filter(kind=MeasureKind.ONGOING, review_period_months__isnull=False)
        .exclude(status=MeasureStatus.CLOSED)
        .filter(inspection__feedback_date__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "inspection_id",
            "inspection__unit_id",
            "owner_id",
            "owner__is_active",
            "inspection__feedback_date",
            "review_period_months",
        )
    )
    rows = [
        (pk, inspection, unit, owner, active, dl.next_review(feedback, period, today, rules))
        for pk, inspection, unit, owner, active, feedback, period in measures
    ]
    yield from _measure_rows(rows, Subject.REVIEW, today, rules, after=False)


def _measure_rows(
    rows: Iterable[tuple[Any, ...]], subject: str, today: dt.date, rules: dl.Rules, *, after: bool
) -> Iterator[Due]:
    rows = list(rows)
    liaisons = _unit_people({row[2] for row in rows}, (Role.LIAISON,))
    for pk, inspection_id, unit_id, owner_id, owner_active, deadline in rows:
        if deadline is None:
            continue
        kind = dl.reminder_stage(deadline, today, rules.reminder_days, after=after)
        if kind is None:
            continue
        people = liaisons.get(unit_id, set()) | ({owner_id} if owner_active else set())
        for person in sorted(people):
            yield Due(inspection_id, pk, person, subject, kind, deadline)


def _statutory_dues(today: dt.date, rules: dl.Rules) -> Iterator[Due]:
    """The plan and the reports: before and on the day only; a submitted plan
    (``access.plan_submitted``) or a report recorded as sent (``access.reports_submitted``)
    needs no reminder. Only feedback handed over to the unit, in inspections not withdrawn,
    runs these deadlines."""
    months = max(rules.plan_months, rules.report_months)
    earliest = dl.add_months(today, -months) - dt.timedelta(days=1)
    rows = (
        access.with_plan_submitted(Inspection.objects.all())
        .filter(
            feedback_date__gte=earliest,
            feedback_date__lte=today,
            handed_over_at__isnull=False,
            withdrawn_at__isnull=True,
        )
        .order_by("pk")
    )
    inspections = list(rows)
    people = _unit_people({i.unit_id for i in inspections}, (Role.LIAISON, Role.UNIT_LEADER))
    for inspection in inspections:
        pk, unit_id = inspection.pk, inspection.unit_id
        owed = dl.statutory_deadlines(inspection.feedback_date, rules)
        assert owed is not None  # feedback_date is not null here
        for subject, deadline in ((Subject.PLAN, owed.plan), (Subject.REPORT, owed.reports)):
            met = (
                inspection.plan_was_submitted
                if subject == Subject.PLAN
                else access.reports_submitted(inspection)
            )
            if met:
                continue
            kind = dl.reminder_stage(deadline, today, rules.reminder_days, after=False)
            if kind is None:
                continue
            for person in sorted(people.get(unit_id, set())):
                yield Due(pk, None, person, subject, kind, deadline)


def _office_dues(today: dt.date) -> Iterator[Due]:
    """What waits for the office: pending extension requests, answered 督办单 and submitted
    measures, each told once to the office of the inspection's region."""
    pending: list[tuple[Any, ...]] = []  # (measure, inspection, region, subject, since)
    extensions = DeadlineExtension.objects.filter(status=ExtensionStatus.PENDING).values_list(
        "measure_id", "measure__inspection_id", "measure__inspection__round__region_id",
        "requested_at",
    )  # fmt: skip
    pending += [(m, i, r, Subject.EXTENSION, timezone.localdate(at)) for m, i, r, at in extensions]
    replies = OrderReply.objects.filter(outcome=ReplyOutcome.PENDING).values_list(
        "order__measure_id", "order__measure__inspection_id",
        "order__measure__inspection__round__region_id", "replied_at",
    )  # fmt: skip
    pending += [(m, i, r, Subject.ORDER_REPLY, timezone.localdate(at)) for m, i, r, at in replies]
    submitted = (
        Measure.objects.filter(status=MeasureStatus.SUBMITTED)
        .annotate(on=Max("decisions__at", filter=Q(decisions__kind=DecisionKind.SUBMIT)))
        .values_list("pk", "inspection_id", "inspection__round__region_id", "on", "updated_at")
    )
    pending += [
        (m, i, r, Subject.VERIFY, timezone.localdate(on or up)) for m, i, r, on, up in submitted
    ]
    offices = _office_people({row[2] for row in pending})
    for measure_id, inspection_id, region_id, subject, since in pending:
        if since > today:
            continue
        for person in sorted(offices.get(region_id, set())):
            yield Due(inspection_id, measure_id, person, subject, TO_DECIDE, since)


def _office_people(region_ids: set[int]) -> dict[int, set[int]]:
    """Active members of the inspection office of each region (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        region_id__in=region_ids, role=Role.OFFICE, user__is_active=True
    ).values_list("region_id", "user_id")
    for region_id, user_id in rows:
        found[region_id].add(user_id)
    return found


def _unit_people(unit_ids: set[int], roles: tuple[str, ...]) -> dict[int, set[int]]:
    """Active users holding one of ``roles`` in each unit (one query)."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        unit_id__in=unit_ids, role__in=roles, user__is_active=True
    ).values_list("unit_id", "user_id")
    for unit_id, user_id in rows:
        found[unit_id].add(user_id)
    return found


def _chunks(dues: list[Due]) -> Iterator[list[Due]]:
    for start in range(0, len(dues), CHUNK):
        yield dues[start : start + CHUNK]


def _not_sent(dues: list[Due]) -> list[Due]:
    """Drop the reminders already sent (one query per chunk): a long-overdue measure is seen
    by every run, and should cost a set lookup, not an INSERT that fails."""
    measures = {due.measure_id for due in dues if due.measure_id is not None}
    inspections = {due.inspection_id for due in dues if due.measure_id is None}
    query = Q(measure_id__in=measures) | Q(measure__isnull=True, inspection_id__in=inspections)
    sent = {
        (measure if measure is not None else -inspection, *rest)
        for measure, inspection, *rest in Reminder.objects.filter(query).values_list(
            "measure_id", "inspection_id", "recipient_id", "subject", "kind", "deadline"
        )
    }
    return [due for due in dues if due.key() not in sent]


# --- sending -------------------------------------------------------------------------------


def send_reminders(today: dt.date, *, dry_run: bool = False) -> RunResult:
    """Create today's reminders (each once), then e-mail those not e-mailed yet."""
    result = RunResult(today=today, due=due_reminders(today))
    if dry_run:
        return result
    emails = dict(
        User.objects.filter(pk__in={d.recipient_id for d in result.due}).values_list("pk", "email")
    )
    for due in result.due:
        result.created += _create(due, emails.get(due.recipient_id, ""))
    _audit_run(result)
    for pk in _pending_emails():
        sent = _email_one(pk)
        result.emailed += sent is True
        result.email_failed += sent is False
    log.info(
        "remind %s: %d due, %d created, %d e-mailed, %d e-mail failures",
        today,
        len(result.due),
        result.created,
        result.emailed,
        result.email_failed,
    )
    return result


def _create(due: Due, email: str) -> bool:
    channel = Channel.EMAIL if email else Channel.IN_APP
    with transaction.atomic():
        _, created = Reminder.objects.get_or_create(
            inspection_id=due.inspection_id,
            measure_id=due.measure_id,
            recipient_id=due.recipient_id,
            subject=due.subject,
            kind=due.kind,
            deadline=due.deadline,
            defaults={"channel": channel, "email": email},
        )
    return created


def _audit_run(result: RunResult) -> None:
    if not result.created:
        return
    with transaction.atomic():
        audit.record(
            "supervision.remind",
            actor=None,
            actor_label="zhenggai remind",
            after={"today": result.today.isoformat(), "created": result.created},
        )


def _pending_emails() -> list[int]:
    queryset = Reminder.objects.filter(channel=Channel.EMAIL, emailed_at__isnull=True)
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _email_one(pk: int) -> bool | None:
    """E-mail one reminder under its row lock: ``True`` sent, ``False`` failed (retried next
    run), ``None`` another run has it or sent it already."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("measure", "inspection__unit")
            .filter(pk=pk, emailed_at__isnull=True)
            .first()
        )
        if reminder is None:
            return None
        try:
            send_mail(email_subject(reminder), describe(reminder), None, [reminder.email])
        except (smtplib.SMTPException, OSError) as exc:
            log.warning(
                "reminder %s: e-mail to recipient %s failed: %s", pk, reminder.recipient_id, exc
            )
            return False
        reminder.emailed_at = timezone.now()
        reminder.save(update_fields=["emailed_at"])
        audit.record(
            "supervision.reminder.email",
            actor=None,
            actor_label="zhenggai remind",
            target=reminder,
            after=audit.snapshot(reminder, ("emailed_at",)),
        )
    return True


# --- the words -----------------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _what(reminder: Reminder) -> str:
    unit = reminder.inspection.unit
    if reminder.measure is not None:
        return f"{unit}：{reminder.measure}"
    return f"{unit}：{reminder.get_subject_display().removesuffix('时限')}"


def _stage(reminder: Reminder) -> str:
    return "待巡察办处理" if reminder.kind == TO_DECIDE else dl.stage_label(reminder.kind)


def email_subject(reminder: Reminder) -> str:
    """E.g. 【整改提醒】还有7天到期：区科协：第1项措施…"""
    return f"【整改提醒】{_stage(reminder)}：{_what(reminder)}"[:200]


OFFICE_ASKS = {
    Subject.EXTENSION: "请审批该延期申请（批准或不予延期，并写明理由）。",
    Subject.ORDER_REPLY: "单位已回复督办单，请审核：办结，或退回要求重新回复。",
    Subject.VERIFY: "单位已提交验收，请审核佐证材料，验收销号或退回。",
}


def describe(reminder: Reminder) -> str:
    """The reminder's text, in the app and in the e-mail body."""
    if reminder.kind == TO_DECIDE:
        return _describe_office(reminder)
    lines = [
        f"{reminder.get_subject_display()}：{_date(reminder.deadline)}（{dl.stage_label(reminder.kind)}）。",
        f"单位：{reminder.inspection.unit}",
    ]
    if reminder.measure is not None:
        lines.append(f"整改措施：{reminder.measure.content}")
    if reminder.kind == dl.OVERDUE:
        lines.append("请尽快完成整改并提交验收；确需延期的，请按程序申请延期。")
    else:
        lines.append("请按时完成，并在系统中及时填报进展、上传佐证材料。")
    return "\n".join(lines)


def _describe_office(reminder: Reminder) -> str:
    lines = [
        f"{reminder.get_subject_display()}（{_date(reminder.deadline)}起）。",
        f"单位：{reminder.inspection.unit}",
    ]
    if reminder.measure is not None:
        lines.append(f"整改措施：{reminder.measure.content}")
    lines.append(OFFICE_ASKS.get(reminder.subject, ""))
    return "\n".join(lines)


# --- for the web ---------------------------------------------------------------------------


def reminders_for(user: Any) -> QuerySet[Reminder]:
    """The user's own reminders, about inspections (and measures) the user may still read."""
    return Reminder.objects.filter(
        Q(measure__isnull=True) | Q(measure__in=access.measures_for(user)),
        recipient_id=user.pk,
        inspection__in=access.inspections_for(user),
    ).select_related("measure", "inspection__unit")


def unread_reminders(user: Any) -> QuerySet[Reminder]:
    """The bell: the user's unread reminders, newest first."""
    return reminders_for(user).filter(read_at__isnull=True).order_by("-sent_at", "-id")


def mark_read(user: Any, reminder_id: Any) -> Reminder:
    """Mark one of the user's reminders read (someone else's: ``NotFound``), audited: that a
    reminder reached its reader is part of the record of supervision."""
    try:
        pk = int(reminder_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    with transaction.atomic():
        reminder = reminders_for(user).select_for_update(of=("self",)).filter(pk=pk).first()
        if reminder is None:
            raise NotFound()
        if reminder.read_at is None:
            reminder.read_at = timezone.now()
            reminder.save(update_fields=["read_at"])
            after = audit.snapshot(reminder, ("read_at",))
            audit.record("supervision.reminder.read", actor=user, target=reminder, after=after)
    return reminder


def mark_all_read(user: Any) -> int:
    """All the user's unread reminders read, as one audit event naming them."""
    with transaction.atomic():
        unread = unread_reminders(user).select_for_update(of=("self",))
        ids = sorted(unread.values_list("pk", flat=True))
        if not ids:
            return 0
        count = Reminder.objects.filter(pk__in=ids).update(read_at=timezone.now())
        audit.record("supervision.reminder.read_all", actor=user, after={"reminders": ids})
    return count

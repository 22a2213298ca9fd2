"""Every write to the ledger: one function per action.

Each action checks who may do it (``access``) and that the transition is legal, saves with
``update_fields``, and writes its ``Decision`` (where there is one) and its ``AuditEvent`` in
the same ``transaction.atomic()``: a refused or failed action leaves no trace but the error.

Measure states::

    未开始 ─start_work→ 整改中 ─submit_for_closure→ 已提交待验收 ─verify_and_close_out→ 已销号
                         ↑                          │  └─mark_phase_complete (长期坚持)→ 阶段性完成
                         │                          └─return_measure→ 退回
                         └──────────── reopen ←── 已销号 / 阶段性完成

退回 is a state of its own, so the ledger shows what the office sent back until the unit
submits again; it behaves as 整改中 (editable, may be submitted). Transitions lock the
measure's row; edits use a conditional UPDATE on ``version`` (optimistic locking).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NoReturn, TypeVar, cast

from django.core import exceptions as django_exceptions
from django.core.files import File
from django.db import models, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhenggai.ledger import access, audit, uploads
from zhenggai.ledger.access import Scope
from zhenggai.ledger.errors import (
    ConflictError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from zhenggai.ledger.models import (
    EDITABLE_STATUSES,
    UNIT_ROLES,
    Aspect,
    DeadlineExtension,
    Decision,
    DecisionKind,
    Evidence,
    EvidenceKind,
    ExtensionStatus,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    MeasureKind,
    MeasureStatus,
    Membership,
    Problem,
    ProgressNote,
    Unit,
    User,
)
from zhenggai.notice.zipguard import megabytes

log = logging.getLogger(__name__)
Status = MeasureStatus
M = TypeVar("M", bound=models.Model)

MEASURE_FIELDS = (
    "content",
    "kind",
    "responsible_leader",
    "responsible_department",
    "responsible_person",
    "owner",
    "deadline",
    "completion_standard",
    "progress",
    "completed_date",
    "review_period_months",
)
INSPECTION_FIELDS = (
    "title",
    "issuer",
    "start",
    "end",
    "feedback_date",
    "contacts",
    "leads_count",
)
PROBLEM_FIELDS = ("title", "text", "confidential", "immediate")
PLAN_PROBLEM_FIELDS = ("cause_analysis",)
# What the approved plan fixes (``access.plan_frozen``); progress and dates done stay open.
PLAN_MEASURE_FIELDS = (
    "content",
    "kind",
    "responsible_leader",
    "responsible_department",
    "responsible_person",
    "owner",
    "deadline",
    "completion_standard",
)


# --- shared steps --------------------------------------------------------------------------


def _locked(measure: Measure) -> Measure:
    """The measure as it is now, its row locked until the transaction ends.

    ``of=("self",)`` locks only the measure, not the inspection row joined with it, so work on
    different measures of one inspection does not queue. SQLite ignores the lock: with
    ``transaction_mode=IMMEDIATE`` its writers are serialised already.
    """
    queryset = Measure.objects.select_for_update(of=("self",)).select_related("inspection__round")
    try:
        return queryset.get(pk=measure.pk)
    except Measure.DoesNotExist:
        raise NotFound() from None


def _touch(measure: Measure, *fields: str) -> None:
    """Save ``fields`` of a locked measure, bumping its version for optimistic locking."""
    measure.version += 1
    measure.updated_at = timezone.now()
    measure.save(update_fields=[*fields, "version", "updated_at"])


def _decide(measure: Measure, kind: DecisionKind, by: User, reason: str = "") -> Decision:
    return Decision.objects.create(
        measure=measure, kind=kind, actor=by, reason=reason, snapshot=audit.snapshot(measure)
    )


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, {"reason": [message]})
    return reason


def _has_evidence(measure: Measure) -> bool:
    return bool(measure.evidence.exists())


def _today() -> dt.date:
    return timezone.localdate()


# --- measure transitions -------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[MeasureStatus, ...]
    target: MeasureStatus
    allowed: Callable[[Scope, Measure], bool]
    refused: str
    decision: DecisionKind | None = None


START = Transition(
    "measure.start_work",
    (Status.NOT_STARTED,),
    Status.IN_PROGRESS,
    access.may_work_on,
    gettext_noop("只有“未开始”的措施可以开始整改。"),
)
SUBMIT = Transition(
    "measure.submit",
    (Status.IN_PROGRESS, Status.RETURNED),
    Status.SUBMITTED,
    access.may_submit,
    gettext_noop("只有“整改中”或“退回”的措施可以提交验收。"),
    DecisionKind.SUBMIT,
)
CLOSE_OUT = Transition(
    "measure.close_out",
    (Status.SUBMITTED,),
    Status.CLOSED,
    access.may_decide,
    gettext_noop("只有“已提交待验收”的措施可以验收销号。"),
    DecisionKind.CLOSE_OUT,
)
PHASE_COMPLETE = Transition(
    "measure.phase_complete",
    (Status.SUBMITTED,),
    Status.PHASE_COMPLETE,
    access.may_decide,
    gettext_noop("只有“已提交待验收”的措施可以确认阶段性完成。"),
    DecisionKind.VERIFY,
)
RETURN = Transition(
    "measure.return",
    (Status.SUBMITTED,),
    Status.RETURNED,
    access.may_decide,
    gettext_noop("只有“已提交待验收”的措施可以退回。"),
    DecisionKind.RETURN,
)
REOPEN = Transition(
    "measure.reopen",
    (Status.CLOSED, Status.PHASE_COMPLETE),
    Status.IN_PROGRESS,
    access.may_decide,
    gettext_noop("只有“已销号”或“阶段性完成”的措施可以重新打开。"),
    DecisionKind.REOPEN,
)

# Runs on the locked measure before the status changes: raises to refuse the transition, and
# may change rows that go with it (freezing evidence on submission).
Prepare = Callable[[Measure, User], None]


def _transition(
    transition: Transition,
    measure: Measure,
    by: User,
    *,
    reason: str = "",
    prepare: Prepare | None = None,
) -> Measure:
    with transaction.atomic():
        current = _locked(measure)
        scope = access.scope_of(by)
        access.require(scope, current.inspection, transition.allowed(scope, current))
        if current.status not in transition.sources:
            raise InvalidTransition(_(transition.refused))
        if prepare is not None:
            prepare(current, by)
        before = audit.snapshot(current)
        current.status = transition.target
        _touch(current, "status")
        if transition.decision is not None:
            _decide(current, transition.decision, by, reason)
        after = audit.snapshot(current)
        audit.record(
            transition.action, actor=by, target=current, before=before, after=after, detail=reason
        )
    return current


def start_work(measure: Measure, *, by: User) -> Measure:
    """未开始 → 整改中 (the unit)."""
    return _transition(START, measure, by)


def submit_for_closure(measure: Measure, *, by: User) -> Measure:
    """整改中/退回 → 已提交待验收 (the unit's leader or liaison). Locks the measure and
    freezes its evidence: what the office verifies can no longer change."""
    return _transition(SUBMIT, measure, by, prepare=_freeze_evidence_for_submission)


def _freeze_evidence_for_submission(measure: Measure, by: User) -> None:
    if not _has_evidence(measure):
        raise InvalidTransition(_("请先上传佐证材料，再提交验收。"))
    measure.evidence.filter(frozen=False).update(frozen=True)


def verify_and_close_out(measure: Measure, *, by: User, note: str = "") -> Measure:
    """已提交待验收 → 已销号 (the inspection office, never a member of the measure's unit)."""
    return _transition(CLOSE_OUT, measure, by, reason=note.strip(), prepare=_check_closable)


def _check_closable(measure: Measure, by: User) -> None:
    if measure.kind == MeasureKind.ONGOING:
        raise InvalidTransition(_("长期坚持类措施不能销号，请确认为“阶段性完成”。"))
    _check_verifiable(measure, by)


def _check_verifiable(measure: Measure, by: User) -> None:
    if not _has_evidence(measure):
        raise InvalidTransition(_("没有佐证材料，不能验收。"))
    last_submit = measure.decisions.filter(kind=DecisionKind.SUBMIT).order_by("-at", "-id").first()
    if last_submit is not None and last_submit.actor_id == by.pk:
        raise PermissionDenied(_("不能验收自己提交的整改措施。"))


def mark_phase_complete(measure: Measure, *, by: User, note: str = "") -> Measure:
    """已提交待验收 → 阶段性完成, for 长期坚持 measures (the office). Progress notes go on."""
    return _transition(PHASE_COMPLETE, measure, by, reason=note.strip(), prepare=_check_ongoing)


def _check_ongoing(measure: Measure, by: User) -> None:
    if measure.kind != MeasureKind.ONGOING:
        raise InvalidTransition(_("只有长期坚持类措施可以确认为“阶段性完成”，其他措施请验收销号。"))
    _check_verifiable(measure, by)


def return_measure(measure: Measure, *, by: User, reason: str) -> Measure:
    """已提交待验收 → 退回, with the reason the unit will read (the office)."""
    reason = _require_reason(reason, _("退回时必须说明理由。"))
    return _transition(RETURN, measure, by, reason=reason)


def reopen(measure: Measure, *, by: User, reason: str) -> Measure:
    """已销号/阶段性完成 → 整改中, e.g. when a look-back finds the problem again (the office)."""
    reason = _require_reason(reason, _("重新打开时必须说明理由。"))
    return _transition(REOPEN, measure, by, reason=reason)


# --- editing a measure ---------------------------------------------------------------------


def update_measure(
    measure: Measure, changes: Mapping[str, Any], *, by: User, expected_version: int
) -> Measure:
    """Change the measure's fields (the unit), if nobody saved it since ``expected_version``.

    The write is ``UPDATE … WHERE version = expected``: of two people saving the same version,
    the second's UPDATE matches no row (PostgreSQL re-checks the condition after the first
    commits) and raises ``ConflictError`` instead of overwriting.
    """
    with transaction.atomic():
        current = _fresh(measure)
        scope = access.scope_of(by)
        access.require(scope, current.inspection, access.may_work_on(scope, current))
        _check_editable(current)
        if current.version != expected_version:
            raise ConflictError()
        cleaned = _clean_measure_changes(current, changes, scope)
        if not cleaned:
            return current
        if set(cleaned) & set(PLAN_MEASURE_FIELDS):
            access.refuse_if_plan_frozen(current.inspection)
        before = audit.snapshot(current)
        _conditional_update(current, cleaned, expected_version)
        current.refresh_from_db()
        audit.record(
            "measure.update", actor=by, target=current, before=before, after=audit.snapshot(current)
        )
    return current


def _fresh(measure: Measure) -> Measure:
    try:
        return Measure.objects.select_related("inspection__round").get(pk=measure.pk)
    except Measure.DoesNotExist:
        raise NotFound() from None


def _check_editable(measure: Measure) -> None:
    if measure.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("措施“%(status)s”，不能修改；如需修改，请由巡察办退回或重新打开。")
            % {"status": measure.get_status_display()}
        )


def _conditional_update(measure: Measure, cleaned: dict[str, Any], expected_version: int) -> None:
    rows = Measure.objects.filter(
        pk=measure.pk, version=expected_version, status__in=EDITABLE_STATUSES
    ).update(**cleaned, version=F("version") + 1, updated_at=timezone.now())
    if rows != 1:
        raise ConflictError()


def _clean_measure_changes(
    measure: Measure, changes: Mapping[str, Any], scope: Scope
) -> dict[str, Any]:
    """Validate and convert the changes; drop those that equal the current value."""
    cleaned = _clean_fields(measure, changes, MEASURE_FIELDS)
    cleaned = {k: v for k, v in cleaned.items() if v != _current(measure, k)}
    errors: dict[str, list[str]] = {}
    for name, rule in _MEASURE_RULES.items():
        if name in cleaned and (message := rule(measure, cleaned, scope)):
            errors[name] = [message]
    if errors:
        raise ValidationError(errors=errors)
    return cleaned


def _current(measure: Measure, name: str) -> Any:
    return measure.owner_id if name == "owner" else getattr(measure, name)


def _rule_content(measure: Measure, cleaned: dict[str, Any], scope: Scope) -> str:
    return "" if str(cleaned["content"]).strip() else _("整改措施不能为空。")


def _rule_deadline(measure: Measure, cleaned: dict[str, Any], scope: Scope) -> str:
    # Once set, the deadline moves only through an extension the office approves.
    if measure.deadline is not None:
        return _("完成时限已确定，如需调整请申请延期。")
    return "" if cleaned["deadline"] is not None else _("完成时限不能为空。")


def _rule_completed_date(measure: Measure, cleaned: dict[str, Any], scope: Scope) -> str:
    value = cleaned["completed_date"]
    return _("完成日期不能晚于今天。") if value is not None and value > _today() else ""


def _rule_review_period(measure: Measure, cleaned: dict[str, Any], scope: Scope) -> str:
    kind = cleaned.get("kind", measure.kind)
    period = cleaned["review_period_months"]
    if period is not None and kind != MeasureKind.ONGOING:
        return _("只有长期坚持类措施需要定期报告周期。")
    return (
        _("定期报告周期应在 1 至 12 个月之间。")
        if period is not None and not 1 <= period <= 12
        else ""
    )


def _rule_owner(measure: Measure, cleaned: dict[str, Any], scope: Scope) -> str:
    if not access.may_submit(scope, measure):
        return _("只有单位主要负责人或联络员可以指定责任人。")
    owner_id = cleaned["owner"]
    if owner_id is None:
        return ""
    in_unit = Membership.objects.filter(
        user_id=owner_id, unit_id=measure.inspection.unit_id, role__in=UNIT_ROLES
    ).exists()
    return "" if in_unit else _("责任人须为本单位的用户。")


_MEASURE_RULES: dict[str, Callable[[Measure, dict[str, Any], Scope], str]] = {
    "content": _rule_content,
    "deadline": _rule_deadline,
    "completed_date": _rule_completed_date,
    "review_period_months": _rule_review_period,
    "owner": _rule_owner,
}


def _clean_fields(
    instance: models.Model, changes: Mapping[str, Any], allowed: tuple[str, ...]
) -> dict[str, Any]:
    """Convert each change with its model field's own validation (types, length, choices).

    Foreign keys come back as ids, under the field's name.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in allowed:
            errors[name] = [_("该项不能在此修改。")]
            continue
        try:
            cleaned[name] = _clean_value(instance, name, value)
        except django_exceptions.ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ValidationError(errors=errors)
    return cleaned


def _clean_value(instance: models.Model, name: str, value: Any) -> Any:
    field = cast("models.Field[Any, Any]", instance._meta.get_field(name))
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(value, str) and field.get_internal_type() != "TextField":
        value = value.strip()
    if value == "" and getattr(field, "null", False):
        value = None
    if isinstance(field, models.ForeignKey):
        return field.target_field.to_python(value) if value is not None else None
    return field.clean(value, instance)


# --- evidence and progress -----------------------------------------------------------------


def _locked_for_unit_work(measure: Measure, by: User, statuses: tuple[str, ...]) -> Measure:
    current = _locked(measure)
    scope = access.scope_of(by)
    access.require(scope, current.inspection, access.may_work_on(scope, current))
    if current.status not in statuses:
        message = _("措施“%(status)s”，不能执行此操作。")
        raise InvalidTransition(message % {"status": current.get_status_display()})
    return current


def add_evidence(
    measure: Measure,
    *,
    by: User,
    file: File[Any] | None = None,
    title: str = "",
    doc_number: str = "",
    date: dt.date | None = None,
    pages: int | None = None,
) -> Evidence:
    """Attach a file (its SHA-256, size and type recorded) or, without a file, a reference to
    a document by 题名 (and 文号, date, pages). Only while the measure is editable."""
    evidence = Evidence(
        kind=EvidenceKind.FILE if file is not None else EvidenceKind.REFERENCE,
        title=title.strip(),
        doc_number=doc_number.strip(),
        date=date,
        pages=pages,
    )
    _validate_evidence(evidence)
    if file is not None:
        _describe_file(evidence, file)
    saved = False
    try:
        with transaction.atomic():
            current = _locked_for_unit_work(measure, by, EDITABLE_STATUSES)
            evidence.measure, evidence.uploaded_by = current, by
            if file is not None:
                _check_measure_total(current, evidence.size or 0)
                evidence.file.save(evidence.original_name, file, save=False)
            evidence.save(force_insert=True)
            audit.record("evidence.add", actor=by, target=evidence, after=audit.snapshot(evidence))
            saved = True
    finally:
        if not saved and evidence.file:
            evidence.file.delete(save=False)
    return evidence


def _validate_evidence(evidence: Evidence) -> None:
    if evidence.kind == EvidenceKind.REFERENCE and not evidence.title:
        raise ValidationError(_("文件索引须填写题名。"), {"title": [_("文件索引须填写题名。")]})
    if evidence.pages is not None and evidence.pages < 1:
        raise ValidationError(_("页数应为正整数。"), {"pages": [_("页数应为正整数。")]})


def _describe_file(evidence: Evidence, file: File[Any]) -> None:
    digest = hashlib.sha256()
    size = 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    name = PurePath(file.name or "").name or "未命名文件"
    evidence.sha256, evidence.size, evidence.original_name = digest.hexdigest(), size, name[:255]
    if size == 0:
        raise ValidationError(_("上传的文件是空的。"), {"file": [_("上传的文件是空的。")]})
    # The type comes from the content, never from the name or the browser's claim.
    evidence.content_type = _evidence_type(file, name, size).content_type


def _evidence_type(file: File[Any], name: str, size: int) -> uploads.EvidenceType:
    """Refuse a file too large, of a type not on the allow-list, or named as another type."""
    limit = uploads.max_file_bytes()
    if size > limit:
        message = _("文件过大（%(size)s），单个文件上限为 %(limit)s。")
        _refuse_file(message % {"size": megabytes(size), "limit": megabytes(limit)}, name, size)
    kind = uploads.evidence_type(file)  # type: ignore[arg-type]
    if kind is None:
        message = _("不支持的文件类型，请上传 PDF、OFD、Word、Excel、WPS、JPG、PNG 或文本文件。")
        _refuse_file(message, name, size)
    if uploads.suffix_of(name) not in kind.suffixes:
        message = _("文件内容是%(kind)s文件，与文件名“%(name)s”不符，请改正扩展名后再上传。")
        _refuse_file(message % {"kind": kind.label, "name": name}, name, size)
    return kind


def _refuse_file(message: str, name: str, size: int) -> NoReturn:
    log.warning("evidence upload refused: %r, %d bytes", name, size)
    raise ValidationError(message, {"file": [message]})


def _check_measure_total(measure: Measure, size: int) -> None:
    """The measure's evidence files together stay within the limit (checked under the
    measure's lock, so two uploads at once cannot both slip under it)."""
    stored = measure.evidence.aggregate(total=Sum("size"))["total"] or 0
    limit = uploads.max_evidence_bytes_per_measure()
    if stored + size > limit:
        message = _(
            "该措施的佐证材料合计不能超过 %(limit)s（已有 %(stored)s），请压缩或删减后再上传。"
        )
        values = {"limit": megabytes(limit), "stored": megabytes(stored)}
        log.warning("evidence of measure %s would reach %d bytes", measure.pk, stored + size)
        raise ValidationError(message % values, {"file": [message % values]})


def remove_evidence(evidence: Evidence, *, by: User) -> None:
    """Remove evidence added by mistake; never once it is frozen by a submission."""
    with transaction.atomic():
        current = _locked_for_unit_work(evidence.measure, by, EDITABLE_STATUSES)
        row = Evidence.objects.filter(pk=evidence.pk, measure=current).first()
        if row is None:
            raise NotFound()
        if row.frozen:
            raise InvalidTransition(_("该佐证材料已随提交验收锁定，不能删除。"))
        before = audit.snapshot(row)
        audit.record("evidence.remove", actor=by, target=row, before=before)
        row.delete()
        if row.file:
            stored = row.file
            transaction.on_commit(lambda: stored.delete(save=False))


def record_progress(
    measure: Measure, *, by: User, text: str, date: dt.date | None = None
) -> ProgressNote:
    """A dated progress report; for 长期坚持 measures this goes on after 阶段性完成."""
    text = text.strip()
    date = date or _today()
    if not text:
        raise ValidationError(_("进展情况不能为空。"), {"text": [_("进展情况不能为空。")]})
    if date > _today():
        raise ValidationError(_("日期不能晚于今天。"), {"date": [_("日期不能晚于今天。")]})
    with transaction.atomic():
        statuses = (Status.IN_PROGRESS, Status.RETURNED, Status.PHASE_COMPLETE)
        current = _locked_for_unit_work(measure, by, statuses)
        note = ProgressNote.objects.create(measure=current, text=text, date=date, author=by)
        audit.record("measure.progress", actor=by, target=note, after=audit.snapshot(note))
    return note


# --- deadline extensions -------------------------------------------------------------------


def request_extension(
    measure: Measure, *, by: User, deadline: dt.date, reason: str
) -> DeadlineExtension:
    """The unit asks to move the deadline; the office decides (``decide_extension``)."""
    reason = _require_reason(reason, _("申请延期必须说明理由。"))
    with transaction.atomic():
        current = _locked_for_unit_work(measure, by, EDITABLE_STATUSES)
        _check_extension_request(current, deadline)
        extension = DeadlineExtension.objects.create(
            measure=current,
            previous_deadline=current.deadline,
            requested_deadline=deadline,
            reason=reason,
            requested_by=by,
        )
        _decide(current, DecisionKind.REQUEST_EXTENSION, by, reason)
        audit.record(
            "extension.request", actor=by, target=extension, after=audit.snapshot(extension)
        )
    return extension


def _check_extension_request(measure: Measure, deadline: dt.date) -> None:
    if measure.deadline is None:
        raise InvalidTransition(_("该措施尚未确定完成时限，请直接填写，无需申请延期。"))
    if deadline <= measure.deadline:
        message = _("申请的完成时限须晚于原完成时限。")
        raise ValidationError(message, {"deadline": [message]})
    if measure.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise InvalidTransition(_("已有一项延期申请待审批。"))


def decide_extension(
    extension: DeadlineExtension, *, by: User, approve: bool, reason: str = ""
) -> DeadlineExtension:
    """The office approves (the deadline moves) or rejects (a reason is required)."""
    if not approve:
        reason = _require_reason(reason, _("不予延期时必须说明理由。"))
    with transaction.atomic():
        current = _locked(extension.measure)
        scope = access.scope_of(by)
        access.require(scope, current.inspection, access.may_decide(scope, current))
        row = DeadlineExtension.objects.select_for_update().filter(pk=extension.pk).first()
        if row is None or row.measure_id != current.pk:
            raise NotFound()
        if row.status != ExtensionStatus.PENDING:
            raise InvalidTransition(_("该延期申请已审批。"))
        return _record_extension_decision(row, current, by, approve, reason.strip())


def _record_extension_decision(
    extension: DeadlineExtension, measure: Measure, by: User, approve: bool, reason: str
) -> DeadlineExtension:
    before = {**audit.snapshot(extension), "measure_deadline": audit.snapshot(measure)["deadline"]}
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by, extension.decided_at = by, timezone.now()
    extension.decision_reason = reason
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    if approve:
        measure.deadline = extension.requested_deadline
        _touch(measure, "deadline")
    kind = DecisionKind.APPROVE_EXTENSION if approve else DecisionKind.REJECT_EXTENSION
    _decide(measure, kind, by, reason)
    after = {**audit.snapshot(extension), "measure_deadline": audit.snapshot(measure)["deadline"]}
    audit.record(f"extension.{kind}", actor=by, target=extension, before=before, after=after)
    return extension


# --- the inspection tree (feedback and plan) -----------------------------------------------


def create_inspection(
    *,
    by: User,
    round: InspectionRound,
    group: InspectionGroup,
    unit: Unit,
    details: Mapping[str, Any] | None = None,
) -> Inspection:
    """A new inspection (the group or office); ``details`` as in ``update_inspection``."""
    with transaction.atomic():
        inspection = _new_inspection(by=by, round=round, group=group, unit=unit, details=details)
        after = audit.snapshot(inspection)
        audit.record("inspection.create", actor=by, target=inspection, after=after)
    return inspection


def _new_inspection(
    *,
    by: User,
    round: InspectionRound,
    group: InspectionGroup,
    unit: Unit,
    details: Mapping[str, Any] | None = None,
    handed_over: bool = False,
) -> Inspection:
    """Check and insert an inspection, without auditing: for the actions that audit the whole
    operation themselves (``create_inspection``, ``import_inspection``). New feedback waits for
    ``hand_over``; a published notice (``handed_over``) is the unit's already."""
    if not access.may_create_inspection(access.scope_of(by), round, group, unit):
        raise PermissionDenied(_("只有巡察办或本巡察组可以录入巡察反馈。"))
    if group.region_id != round.region_id:
        raise ValidationError(_("巡察组与巡察轮次不属于同一区域。"))
    handed_over_at = timezone.now() if handed_over else None
    inspection = Inspection(round=round, group=group, unit=unit, handed_over_at=handed_over_at)
    _assign(inspection, _clean_fields(inspection, details or {}, INSPECTION_FIELDS))
    _check_inspection_dates(inspection)
    inspection.save(force_insert=True)
    return inspection


@dataclass(frozen=True)
class NewProblem:
    """A problem of an imported notice or a pasted feedback, with its measures' texts."""

    title: str
    text: str = ""
    implicit: bool = False
    immediate: bool = False
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewAspect:
    title: str
    problems: tuple[NewProblem, ...]


def import_inspection(
    *,
    by: User,
    round: InspectionRound,
    group: InspectionGroup,
    unit: Unit,
    details: Mapping[str, Any],
    aspects: tuple[NewAspect, ...],
) -> Inspection:
    """The notice import (``ledger.importing``): the inspection, handed over, with its whole
    tree, each row checked as ``add_aspect``, ``add_problem`` and ``add_measure`` check it (an
    empty measure is refused), in one transaction and one audit event: all or nothing."""
    with transaction.atomic():
        inspection = _new_inspection(
            by=by, round=round, group=group, unit=unit, details=details, handed_over=True
        )
        scope = access.scope_of(by)
        for a_no, source in enumerate(aspects, 1):
            aspect = _new_aspect(inspection, a_no, source.title)
            for p_no, problem in enumerate(source.problems, 1):
                _new_problem(aspect, p_no, problem, scope, where=(a_no, p_no))
        summary = {
            "aspects": len(aspects),
            "problems": sum(len(a.problems) for a in aspects),
            "measures": sum(len(p.measures) for a in aspects for p in a.problems),
        }
        after = {**audit.snapshot(inspection), **summary}
        audit.record(
            "inspection.import", actor=by, target=inspection, after=after, detail="导入整改通报"
        )
    return inspection


def add_feedback(
    inspection: Inspection, problems: list[tuple[str, NewProblem]], *, by: User
) -> list[Problem]:
    """Append pasted problems (each under the aspect of its title, reused or new) to the
    feedback, in one transaction and one audit event (the group or office)."""
    with transaction.atomic():
        current = Inspection.objects.select_related("round").select_for_update(of=("self",))
        locked = current.filter(pk=inspection.pk).first()
        if locked is None:
            raise NotFound()
        scope = access.scope_of(by)
        access.require(scope, locked, access.may_edit_inspection(scope, locked))
        _check_plan_open(locked)
        added = [_pasted_problem(locked, title, problem, scope) for title, problem in problems]
        after = {"problems": [p.pk for p in added], "aspects": len({t for t, _p in problems})}
        audit.record(
            "inspection.feedback_paste", actor=by, target=locked, after=after, detail="粘贴反馈意见"
        )
    return added


def _pasted_problem(
    inspection: Inspection, title: str, source: NewProblem, scope: Scope
) -> Problem:
    aspect = Aspect.objects.filter(inspection=inspection, title=title).first()
    if aspect is None:
        no = (inspection.aspects.aggregate(n=Max("no"))["n"] or 0) + 1
        aspect = _new_aspect(inspection, no, title)
    no = (Problem.all_objects.filter(aspect=aspect).aggregate(n=Max("no"))["n"] or 0) + 1
    return _new_problem(aspect, no, source, scope, where=(aspect.no, no))


def _new_aspect(inspection: Inspection, no: int, title: str) -> Aspect:
    aspect = Aspect(inspection=inspection, no=no)
    _assign(aspect, _clean_fields(aspect, {"title": title.strip()}, ("title",)))
    aspect.save(force_insert=True)
    return aspect


def _new_problem(
    aspect: Aspect, no: int, source: NewProblem, scope: Scope, *, where: tuple[int, int]
) -> Problem:
    problem = Problem(aspect=aspect, no=no, implicit=source.implicit)
    fields = {"title": source.title, "text": source.text, "immediate": source.immediate}
    _assign(problem, _clean_fields(problem, fields, PROBLEM_FIELDS))
    problem.save(force_insert=True)
    for m_no, content in enumerate(source.measures, 1):
        measure = Measure(problem=problem, inspection=aspect.inspection, no=m_no)
        try:
            cleaned = _clean_measure_changes(measure, {"content": content.strip()}, scope)
        except ValidationError as exc:
            a_no, p_no = where
            raise ValidationError(
                _("第%(a)d方面第%(p)d个问题的第%(m)d项整改措施：%(why)s")
                % {"a": a_no, "p": p_no, "m": m_no, "why": _details_of(exc)},
                exc.errors,
            ) from exc
        _assign(measure, cleaned)
        measure.save(force_insert=True)
    return problem


def _details_of(exc: ValidationError) -> str:
    return "；".join(m for messages in exc.errors.values() for m in messages) or exc.message


def _assign(instance: models.Model, cleaned: Mapping[str, Any]) -> None:
    for name, value in cleaned.items():
        field = instance._meta.get_field(name)
        setattr(instance, getattr(field, "attname", name), value)


def _check_inspection_dates(inspection: Inspection) -> None:
    start, end, feedback = inspection.start, inspection.end, inspection.feedback_date
    if start and end and end < start:
        raise ValidationError(
            _("巡察结束日期不能早于开始日期。"), {"end": [_("不能早于开始日期。")]}
        )
    if end and feedback and feedback < end:
        message = _("反馈日期不能早于巡察结束日期。")
        raise ValidationError(message, {"feedback_date": [message]})


def update_inspection(
    inspection: Inspection, changes: Mapping[str, Any], *, by: User
) -> Inspection:
    with transaction.atomic():
        current: Inspection = _fresh_row(Inspection.objects.select_related("round"), inspection.pk)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_edit_inspection(scope, current))
        return _audited_update(current, _clean_fields(current, changes, INSPECTION_FIELDS), by)


def _fresh_row(queryset: models.QuerySet[M], pk: Any) -> M:
    row = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise NotFound()
    return row


def _audited_update(instance: M, cleaned: Mapping[str, Any], by: User) -> M:
    before = audit.snapshot(instance)
    _assign(instance, cleaned)
    if isinstance(instance, Inspection):
        _check_inspection_dates(instance)
    fields = [instance._meta.get_field(name).name for name in cleaned]
    if fields:
        instance.save(update_fields=fields)
        action = f"{instance._meta.model_name}.update"
        audit.record(
            action, actor=by, target=instance, before=before, after=audit.snapshot(instance)
        )
    return instance


def add_aspect(inspection: Inspection, *, by: User, title: str) -> Aspect:
    """Append an aspect (方面) to the inspection's feedback (the group or office)."""
    with transaction.atomic():
        current: Inspection = _fresh_row(Inspection.objects.select_related("round"), inspection.pk)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_edit_inspection(scope, current))
        _check_plan_open(current)
        no = (current.aspects.aggregate(n=Max("no"))["n"] or 0) + 1
        aspect = Aspect(inspection=current, no=no)
        _assign(aspect, _clean_fields(aspect, {"title": title}, ("title",)))
        aspect.save(force_insert=True)
        audit.record("aspect.create", actor=by, target=aspect, after=audit.snapshot(aspect))
    return aspect


def update_aspect(aspect: Aspect, changes: Mapping[str, Any], *, by: User) -> Aspect:
    with transaction.atomic():
        current: Aspect = _fresh_row(Aspect.objects.select_related("inspection__round"), aspect.pk)
        scope = access.scope_of(by)
        access.require(
            scope, current.inspection, access.may_edit_inspection(scope, current.inspection)
        )
        _check_plan_open(current.inspection)
        return _audited_update(current, _clean_fields(current, changes, ("title",)), by)


def add_problem(
    aspect: Aspect, *, by: User, title: str, details: Mapping[str, Any] | None = None
) -> Problem:
    """Append a problem under the aspect (the group or office); ``details`` may set
    ``text`` and ``confidential``."""
    with transaction.atomic():
        current: Aspect = _fresh_row(Aspect.objects.select_related("inspection__round"), aspect.pk)
        scope = access.scope_of(by)
        access.require(
            scope, current.inspection, access.may_edit_inspection(scope, current.inspection)
        )
        _check_plan_open(current.inspection)
        _check_confidential_marking(scope, current.inspection, details or {})
        no = (Problem.all_objects.filter(aspect=current).aggregate(n=Max("no"))["n"] or 0) + 1
        problem = Problem(aspect=current, no=no)
        _assign(
            problem, _clean_fields(problem, {"title": title, **(details or {})}, PROBLEM_FIELDS)
        )
        problem.save(force_insert=True)
        audit.record("problem.create", actor=by, target=problem, after=audit.snapshot(problem))
    return problem


def update_problem(problem: Problem, changes: Mapping[str, Any], *, by: User) -> Problem:
    """The group or office edits the finding; the unit (or they) edits the cause analysis."""
    with transaction.atomic():
        queryset = Problem.objects.select_related("aspect__inspection__round")
        current: Problem = _fresh_row(queryset, problem.pk)
        inspection = current.aspect.inspection
        scope = access.scope_of(by)
        feedback_fields = set(changes) - set(PLAN_PROBLEM_FIELDS)
        allowed = (
            access.may_edit_inspection(scope, inspection)
            if feedback_fields
            else access.may_plan(scope, inspection)
        )
        access.require(scope, inspection, allowed)
        # 不予公开 is the office's decision at any time (a case opened late must leave the
        # public notice); it changes no measure, so the approved plan does not hold it back.
        if set(changes) - {"confidential"}:
            _check_plan_open(inspection)
        _check_confidential_marking(scope, inspection, changes, current.confidential)
        fields = PROBLEM_FIELDS + PLAN_PROBLEM_FIELDS
        return _audited_update(current, _clean_fields(current, changes, fields), by)


def add_measure(
    problem: Problem, *, by: User, content: str, details: Mapping[str, Any] | None = None
) -> Measure:
    """Append a measure to the plan (the unit's leader or liaison, or the group or office);
    ``details`` may set any field ``update_measure`` accepts. It starts as 未开始."""
    with transaction.atomic():
        queryset = Problem.objects.select_related("aspect__inspection__round")
        current: Problem = _fresh_row(queryset, problem.pk)
        inspection = current.aspect.inspection
        scope = access.scope_of(by)
        access.require(scope, inspection, access.may_plan(scope, inspection))
        _check_plan_open(inspection)
        measure = Measure(problem=current, inspection=inspection, no=_next_measure_no(current))
        cleaned = _clean_measure_changes(measure, {"content": content, **(details or {})}, scope)
        _assign(measure, cleaned)
        measure.save(force_insert=True)
        audit.record("measure.create", actor=by, target=measure, after=audit.snapshot(measure))
    return measure


def _next_measure_no(problem: Problem) -> int:
    # Withdrawn measures keep their numbers: counting them too keeps ``measure_no_unique``.
    return (Measure.all_objects.filter(problem=problem).aggregate(n=Max("no"))["n"] or 0) + 1


# --- feedback hand-over, withdrawal, split and merge (the process from its first day) ------


def _check_plan_open(inspection: Inspection) -> None:
    """After the plan is approved its changes go through a change request (the plan's app)."""
    access.refuse_if_plan_frozen(inspection)


def _check_confidential_marking(
    scope: Scope, inspection: Inspection, changes: Mapping[str, Any], current: bool = False
) -> None:
    """Marking (or unmarking) 不予公开 is the office's; passing the value unchanged is not."""
    if "confidential" not in changes or bool(changes["confidential"]) == current:
        return
    if not access.may_mark_confidential(scope, inspection):
        raise PermissionDenied(_("只有巡察办可以标记不予公开。"))


def _locked_inspection(inspection: Inspection) -> Inspection:
    return _fresh_row(Inspection.objects.select_related("round"), inspection.pk)


def hand_over(inspection: Inspection, *, by: User) -> Inspection:
    """交付反馈: the checked feedback goes to the unit, which sees it from now on; the
    feedback date (the start of the statutory deadlines) is today unless already set."""
    with transaction.atomic():
        current = _locked_inspection(inspection)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_hand_over(scope, current))
        if not Problem.objects.filter(aspect__inspection=current).exists():
            raise InvalidTransition(_("反馈意见中还没有问题，不能交付。"))
        before = audit.snapshot(current)
        current.handed_over_at = timezone.now()
        current.feedback_date = current.feedback_date or _today()
        current.save(update_fields=["handed_over_at", "feedback_date"])
        audit.record(
            "inspection.hand_over",
            actor=by,
            target=current,
            before=before,
            after=audit.snapshot(current),
        )
    return current


def submit_report(inspection: Inspection, *, by: User) -> Inspection:
    """报送整改情况报告: the unit records that its report went to the inspecting body, which
    meets the statutory report deadline. Once only; audited."""
    with transaction.atomic():
        current = _locked_inspection(inspection)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_submit_report(scope, current))
        if current.report_submitted_at is not None:
            raise InvalidTransition(_("整改情况报告已报送，不能重复报送。"))
        before = audit.snapshot(current)
        current.report_submitted_at = timezone.now()
        current.save(update_fields=["report_submitted_at"])
        audit.record(
            "inspection.report_submitted",
            actor=by,
            target=current,
            before=before,
            after=audit.snapshot(current),
        )
    return current


def _stamp_withdrawn(instance: Problem | Measure, by: User, reason: str, at: Any) -> None:
    instance.withdrawn_at, instance.withdrawn_by, instance.withdraw_reason = at, by, reason
    instance.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])


def _clear_withdrawn(instance: Problem | Measure | Inspection) -> None:
    instance.withdrawn_at, instance.withdrawn_by, instance.withdraw_reason = None, None, ""
    instance.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])


def _problem_row(problem: Problem) -> Problem:
    """The problem's row, locked, withdrawn or not (the caller checks which it needs)."""
    queryset = Problem.all_objects.select_related("aspect__inspection__round")
    row: Problem = _fresh_row(queryset, problem.pk)
    return row


def _measure_row(measure: Measure) -> Measure:
    queryset = Measure.all_objects.select_related("inspection__round")
    row: Measure = _fresh_row(queryset, measure.pk)
    return row


def withdraw_problem(problem: Problem, *, by: User, reason: str) -> Problem:
    """Take a problem out of the feedback (the group before hand-over, the office); its
    measures go with it, stamped with the same moment so that restoring brings back exactly
    those."""
    reason = _require_reason(reason, _("撤销时必须说明理由。"))
    with transaction.atomic():
        current = _problem_row(problem)
        inspection = current.aspect.inspection
        scope = access.scope_of(by)
        access.require(scope, inspection, access.may_edit_inspection(scope, inspection))
        _check_plan_open(inspection)
        if current.withdrawn_at is not None:
            raise InvalidTransition(_("该问题已撤销。"))
        before = audit.snapshot(current)
        at = timezone.now()
        measures = list(Measure.objects.filter(problem=current))
        for measure in measures:
            _stamp_withdrawn(measure, by, reason, at)
        _stamp_withdrawn(current, by, reason, at)
        after = {**audit.snapshot(current), "measures": [m.pk for m in measures]}
        audit.record(
            "problem.withdraw", actor=by, target=current, before=before, after=after, detail=reason
        )
    return current


def restore_problem(problem: Problem, *, by: User) -> Problem:
    """Bring a withdrawn problem back, with the measures withdrawn with it (the office)."""
    with transaction.atomic():
        current = _problem_row(problem)
        inspection = current.aspect.inspection
        scope = access.scope_of(by)
        access.require(scope, inspection, access.may_withdraw_inspection(scope, inspection))
        if current.withdrawn_at is None:
            raise InvalidTransition(_("该问题未撤销。"))
        before = audit.snapshot(current)
        withdrawn_with = Measure.all_objects.filter(
            problem=current, withdrawn_at=current.withdrawn_at
        )
        restored = [m.pk for m in withdrawn_with]
        for measure in withdrawn_with:
            _clear_withdrawn(measure)
        _clear_withdrawn(current)
        after = {**audit.snapshot(current), "measures": restored}
        audit.record("problem.restore", actor=by, target=current, before=before, after=after)
    return current


def _check_plan_measure(measure: Measure, by: User) -> None:
    """Structural changes of the plan (withdraw, split, merge): whoever may plan, while the
    measure is still the unit's to change and the plan is not approved."""
    scope = access.scope_of(by)
    access.require(scope, measure.inspection, access.may_plan(scope, measure.inspection))
    _check_plan_open(measure.inspection)
    _check_editable(measure)


def withdraw_measure(measure: Measure, *, by: User, reason: str) -> Measure:
    """Take a measure out of the plan (whoever may plan; not once submitted or closed)."""
    reason = _require_reason(reason, _("撤销时必须说明理由。"))
    with transaction.atomic():
        current = _measure_row(measure)
        _check_plan_measure(current, by)
        if current.withdrawn_at is not None:
            raise InvalidTransition(_("该措施已撤销。"))
        before = audit.snapshot(current)
        _stamp_withdrawn(current, by, reason, timezone.now())
        after = audit.snapshot(current)
        audit.record(
            "measure.withdraw", actor=by, target=current, before=before, after=after, detail=reason
        )
    return current


def restore_measure(measure: Measure, *, by: User) -> Measure:
    """Bring a withdrawn measure back (the office), unless its problem is withdrawn too."""
    with transaction.atomic():
        current = _measure_row(measure)
        scope = access.scope_of(by)
        inspection = current.inspection
        access.require(scope, inspection, access.may_withdraw_inspection(scope, inspection))
        if current.withdrawn_at is None:
            raise InvalidTransition(_("该措施未撤销。"))
        if Problem.all_objects.filter(pk=current.problem_id, withdrawn_at__isnull=False).exists():
            raise InvalidTransition(_("该措施所属的问题已撤销，请先恢复问题。"))
        before = audit.snapshot(current)
        _clear_withdrawn(current)
        audit.record(
            "measure.restore",
            actor=by,
            target=current,
            before=before,
            after=audit.snapshot(current),
        )
    return current


SPLIT_COPIED = (
    "kind",
    "responsible_leader",
    "responsible_department",
    "responsible_person",
    "owner",
    "deadline",
    "completion_standard",
    "review_period_months",
)


def split_measure(
    measure: Measure, *, by: User, first: str, second: str
) -> tuple[Measure, Measure]:
    """Split a measure in two: it keeps ``first`` (and its evidence, history and status), a new
    measure of the same problem gets ``second`` and the same responsibility and deadline."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        message = _("拆分后的两项措施都不能为空。")
        raise ValidationError(message, {"second": [message]})
    with transaction.atomic():
        current = _locked(measure)
        _check_plan_measure(current, by)
        before = audit.snapshot(current)
        current.content = first
        _touch(current, "content")
        copied = {name: getattr(current, name) for name in SPLIT_COPIED}
        new = Measure(
            problem_id=current.problem_id,
            inspection=current.inspection,
            no=_next_measure_no(current.problem),
            content=second,
            **copied,
        )
        new.save(force_insert=True)
        after = {"kept": audit.snapshot(current), "new": audit.snapshot(new)}
        audit.record("measure.split", actor=by, target=current, before=before, after=after)
    return current, new


def merge_measures(keep: Measure, other: Measure, *, by: User) -> Measure:
    """Merge ``other`` into ``keep`` (same problem): the texts are joined, ``other``'s evidence
    moves to ``keep`` and ``other`` is withdrawn with a reason naming ``keep``."""
    if keep.pk == other.pk:
        raise ValidationError(_("请选择另一项措施进行合并。"))
    with transaction.atomic():
        kept, merged = _locked(keep), _locked(other)
        _check_plan_measure(kept, by)
        _check_plan_measure(merged, by)
        if kept.problem_id != merged.problem_id:
            raise ValidationError(_("只能合并同一问题下的措施。"))
        before = {"kept": audit.snapshot(kept), "merged": audit.snapshot(merged)}
        kept.content = f"{kept.content.rstrip()}\n{merged.content.strip()}"
        _touch(kept, "content")
        Evidence.objects.filter(measure=merged).update(measure=kept)
        reason = _("已合并入第%(no)s项措施。") % {"no": kept.no}
        _stamp_withdrawn(merged, by, reason, timezone.now())
        after = {"kept": audit.snapshot(kept), "merged": audit.snapshot(merged)}
        audit.record("measure.merge", actor=by, target=kept, before=before, after=after)
    return kept


def set_confidential(problem: Problem, *, by: User, confidential: bool) -> Problem:
    """不予公开 on or off (the office only)."""
    return update_problem(problem, {"confidential": confidential}, by=by)


def _check_withdrawal_period(inspection: Inspection) -> None:
    """A wrong import is undone while the plan is being made, not after the work started."""
    from zhenggai.supervision.deadlines import statutory_deadlines

    deadlines = statutory_deadlines(inspection.feedback_date)
    if deadlines is not None and _today() > deadlines.plan:
        raise InvalidTransition(_("已超过整改方案报送期限，不能撤销整条巡察记录。"))


def withdraw_inspection(inspection: Inspection, *, by: User, reason: str) -> Inspection:
    """Undo a wrong import: the whole inspection disappears for everyone but the office,
    which may restore it (within the plan period, the office only)."""
    reason = _require_reason(reason, _("撤销时必须说明理由。"))
    with transaction.atomic():
        current = _locked_inspection(inspection)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_withdraw_inspection(scope, current))
        if current.withdrawn_at is not None:
            raise InvalidTransition(_("该巡察记录已撤销。"))
        _check_withdrawal_period(current)
        before = audit.snapshot(current)
        current.withdrawn_at, current.withdrawn_by, current.withdraw_reason = (
            timezone.now(),
            by,
            reason,
        )
        current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit.record(
            "inspection.withdraw",
            actor=by,
            target=current,
            before=before,
            after=audit.snapshot(current),
            detail=reason,
        )
    return current


def restore_inspection(inspection: Inspection, *, by: User) -> Inspection:
    with transaction.atomic():
        current = _locked_inspection(inspection)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_withdraw_inspection(scope, current))
        if current.withdrawn_at is None:
            raise InvalidTransition(_("该巡察记录未撤销。"))
        before = audit.snapshot(current)
        _clear_withdrawn(current)
        audit.record(
            "inspection.restore",
            actor=by,
            target=current,
            before=before,
            after=audit.snapshot(current),
        )
    return current

"""Every write to a 群众监督意见: one audited action each (``opinion.*`` in the audit trail).

The public submits on a published notice (``submit_online``: the captcha and CSRF are the
form's, the rate limits and size limits are checked here); the unit's liaison or the office
registers what came by phone, letter or e-mail (``register``). Handling — assign to a problem
or mark out of scope, answer — is the unit's leader or liaison or the office; publishing the
answer to the tracking page, and opening or reopening a measure because of an opinion, is the
office's (``ledger.access``: ``may_*_opinion*``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NoReturn

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.ledger import access, audit, uploads
from zhenggai.ledger import actions as ledger_actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, ValidationError
from zhenggai.ledger.models import Inspection, Measure, MeasureStatus, Problem, User
from zhenggai.notice.zipguard import MB, megabytes
from zhenggai.opinions.models import OPEN_STATUSES, Opinion, OpinionChannel, OpinionStatus
from zhenggai.public.models import Publication
from zhenggai.supervision import deadlines

log = logging.getLogger(__name__)

MAX_NAME = 50
MAX_CONTACT = 100
MAX_TEXT = 2000
MAX_ANSWER = 4000
# 16 random bytes: 128 bits, far beyond the 80 an enumeration would have to defeat.
CODE_BYTES = 16
RATE_WINDOW = dt.timedelta(hours=1)
ATTACHMENT_TYPES = (uploads.PDF, uploads.JPEG, uploads.PNG)
AUDITED = (
    "inspection",
    "publication",
    "channel",
    "name",
    "contact",
    "text",
    "attachment",
    "received_at",
    "due",
    "status",
    "problem",
    "scope_reason",
    "answer",
    "answered_at",
    "published_at",
)


@dataclass(frozen=True)
class Receipt:
    """A new opinion and its tracking code: the code exists only here, shown once."""

    opinion: Opinion
    code: str


def code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def address_digest(address: str) -> str:
    """The sender's address keyed with the secret key: enough to count, not to trace."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, address.encode("utf-8"), hashlib.sha256).hexdigest()


def answer_due(received: dt.date) -> dt.date:
    days = int(settings.ZHENGGAI_OPINION_ANSWER_WORKING_DAYS)
    return deadlines.add_working_days(received, days, deadlines.holidays_from_settings())


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationError(message, {field: [message]})


def _clean_text(name: str, contact: str, text: str) -> tuple[str, str, str]:
    name, contact, text = (name or "").strip(), (contact or "").strip(), (text or "").strip()
    if len(name) > MAX_NAME:
        _refuse("name", _("姓名不能超过%(n)s个字。") % {"n": MAX_NAME})
    if not contact:
        _refuse("contact", _("请填写联系方式（电话或电子邮箱），以便答复。"))
    if len(contact) > MAX_CONTACT:
        _refuse("contact", _("联系方式不能超过%(n)s个字。") % {"n": MAX_CONTACT})
    if not text:
        _refuse("text", _("请填写意见内容。"))
    if len(text) > MAX_TEXT:
        _refuse("text", _("意见内容不能超过%(n)s个字。") % {"n": MAX_TEXT})
    return name, contact, text


def _check_attachment(file: File[Any]) -> uploads.EvidenceType:
    """A PDF, JPG or PNG no larger than the setting, recognised by its content (the checks of
    ``ledger.uploads``), its name agreeing with it."""
    name = PurePath(file.name or "").name
    size = file.size or 0
    limit = int(settings.ZHENGGAI_OPINION_ATTACHMENT_MAX_MB) * MB
    if size == 0:
        _refuse("attachment", _("上传的文件是空的。"))
    if size > limit:
        log.warning("opinion attachment refused: %d bytes", size)
        message = _("附件过大（%(size)s），上限为 %(limit)s。")
        _refuse("attachment", message % {"size": megabytes(size), "limit": megabytes(limit)})
    kind = uploads.evidence_type(file)  # type: ignore[arg-type]
    if kind not in ATTACHMENT_TYPES or uploads.suffix_of(name) not in kind.suffixes:
        log.warning("opinion attachment refused: type %s, name %r", kind and kind.label, name)
        _refuse("attachment", _("附件只能是 PDF、JPG 或 PNG 文件。"))
    return kind


def _check_rate(publication: Publication, address_key: str, now: dt.datetime) -> None:
    since = now - RATE_WINDOW
    recent = Opinion.objects.filter(channel=OpinionChannel.ONLINE, received_at__gte=since)
    if (
        recent.filter(address_digest=address_key).count()
        >= settings.ZHENGGAI_OPINION_RATE_PER_ADDRESS
    ):
        log.warning("opinion rate limit per address reached on publication %s", publication.pk)
        raise InvalidTransition(_("提交过于频繁，请一小时后再试。"))
    if recent.filter(publication=publication).count() >= settings.ZHENGGAI_OPINION_RATE_PER_NOTICE:
        log.warning("opinion rate limit per notice reached on publication %s", publication.pk)
        raise InvalidTransition(_("该通报收到的意见过多，请稍后再试或通过电话、信箱反映。"))


def _new_code() -> tuple[str, str]:
    code = secrets.token_urlsafe(CODE_BYTES)
    return code, code_digest(code)


def _save_new(opinion: Opinion, attachment: File[Any] | None, actor: User | None) -> Receipt:
    code, opinion.code_digest = _new_code()
    saved = False
    try:
        if attachment is not None:
            kind = _check_attachment(attachment)
            opinion.attachment_name = (PurePath(attachment.name or "").name or "附件")[:255]
            opinion.attachment_type, opinion.attachment_size = kind.content_type, attachment.size
            opinion.attachment.save(opinion.attachment_name, attachment, save=False)
        opinion.save(force_insert=True)
        label = None if actor is not None else "public"
        audit.record(
            "opinion.receive" if actor is None else "opinion.register",
            actor=actor,
            actor_label=label,
            target=opinion,
            after=audit.snapshot(opinion, AUDITED),
            detail=opinion.channel,
        )
        saved = True
    finally:
        if not saved and opinion.attachment:
            opinion.attachment.delete(save=False)
    return Receipt(opinion, code)


def submit_online(
    publication: Publication,
    *,
    name: str,
    contact: str,
    text: str,
    address: str,
    attachment: File[Any] | None = None,
) -> Receipt:
    """A citizen's opinion on a notice online, within the rate limits."""
    name, contact, text = _clean_text(name, contact, text)
    with transaction.atomic():
        current = Publication.objects.select_related("inspection").get(pk=publication.pk)
        if current.withdrawn_at is not None:
            raise NotFound()
        now = timezone.now()
        key = address_digest(address)
        _check_rate(current, key, now)
        opinion = Opinion(
            inspection=current.inspection,
            publication=current,
            channel=OpinionChannel.ONLINE,
            name=name,
            contact=contact,
            text=text,
            address_digest=key,
            received_at=now,
            due=answer_due(timezone.localdate(now)),
        )
        return _save_new(opinion, attachment, None)


def register(
    inspection: Inspection,
    *,
    by: User,
    channel: str,
    contact: str,
    text: str,
    name: str = "",
    received: dt.date | None = None,
) -> Receipt:
    """An opinion received by phone, letter, e-mail or visit, entered by the liaison or the
    office; the answer is due from the day it was received."""
    if channel not in OpinionChannel.values or channel == OpinionChannel.ONLINE:
        _refuse("channel", _("请选择来源渠道（电话、来信、电子邮件或来访）。"))
    name, contact, text = _clean_text(name, contact, text)
    today = timezone.localdate()
    received = received or today
    if received > today:
        _refuse("received", _("收到日期不能晚于今天。"))
    with transaction.atomic():
        current = access.get_inspection_for(by, inspection.pk)
        scope = access.scope_of(by)
        access.require(scope, current, access.may_register_opinion(scope, current))
        opinion = Opinion(
            inspection=current,
            channel=channel,
            name=name,
            contact=contact,
            text=text,
            registered_by=by,
            received_at=timezone.now() if received == today else _noon(received),
            due=answer_due(received),
        )
        return _save_new(opinion, None, by)


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# --- handling ----------------------------------------------------------------------------------


def _locked(opinion: Opinion, by: User) -> Opinion:
    queryset = access.opinions_for(by).select_for_update(of=("self",))
    return access.get_one(queryset, opinion.pk)


def _change(opinion: Opinion, by: User, action: str, detail: str = "", **fields: Any) -> Opinion:
    before = audit.snapshot(opinion, AUDITED)
    for name, value in fields.items():
        setattr(opinion, name, value)
    opinion.save(update_fields=list(fields))
    after = audit.snapshot(opinion, AUDITED)
    audit.record(action, actor=by, target=opinion, before=before, after=after, detail=detail)
    return opinion


def _handling(opinion: Opinion, by: User) -> Opinion:
    current = _locked(opinion, by)
    scope = access.scope_of(by)
    access.require(scope, current.inspection, access.may_handle_opinion(scope, current.inspection))
    if current.status not in OPEN_STATUSES:
        raise InvalidTransition(_("该意见已经答复，不能再改变办理方式。"))
    return current


def assign(opinion: Opinion, *, by: User, problem: Problem) -> Opinion:
    """The opinion concerns this problem of the inspection (one the user reads)."""
    with transaction.atomic():
        current = _handling(opinion, by)
        found = access.get_problem_for(by, problem.pk)
        if found.aspect.inspection_id != current.inspection_id:
            _refuse("problem", _("只能对应本次巡察反馈的问题。"))
        return _change(
            current,
            by,
            "opinion.assign",
            problem=found,
            scope_reason="",
            status=OpinionStatus.ASSIGNED,
        )


def mark_out_of_scope(opinion: Opinion, *, by: User, reason: str) -> Opinion:
    reason = (reason or "").strip()
    if not reason:
        _refuse("reason", _("请说明不属于整改范围的理由。"))
    with transaction.atomic():
        current = _handling(opinion, by)
        return _change(
            current,
            by,
            "opinion.out_of_scope",
            reason,
            problem=None,
            scope_reason=reason,
            status=OpinionStatus.OUT_OF_SCOPE,
        )


def answer(opinion: Opinion, *, by: User, text: str) -> Opinion:
    """The answer to the sender, once the opinion is assigned or marked out of scope."""
    text = (text or "").strip()
    if not text:
        _refuse("answer", _("请填写答复内容。"))
    if len(text) > MAX_ANSWER:
        _refuse("answer", _("答复不能超过%(n)s个字。") % {"n": MAX_ANSWER})
    with transaction.atomic():
        current = _handling(opinion, by)
        if current.status == OpinionStatus.RECEIVED:
            raise InvalidTransition(_("请先对应到问题或说明不属于整改范围，再答复。"))
        return _change(
            current,
            by,
            "opinion.answer",
            answer=text,
            answered_at=timezone.now(),
            answered_by=by,
            status=OpinionStatus.ANSWERED,
        )


def publish_answer(opinion: Opinion, *, by: User) -> Opinion:
    """Put the answer on the sender's tracking page (the office); an answer that names a
    problem kept from the public (不予公开) is refused."""
    with transaction.atomic():
        current = _locked(opinion, by)
        scope = access.scope_of(by)
        inspection = current.inspection
        access.require(scope, inspection, access.may_publish_opinion_answer(scope, inspection))
        if current.status != OpinionStatus.ANSWERED:
            raise InvalidTransition(_("只有已答复的意见可以公开答复。"))
        if names_confidential_problem(current.answer, inspection):
            raise ValidationError(_("答复中含有不予公开的问题，请修改答复后再公开。"))
        return _change(
            current,
            by,
            "opinion.publish_answer",
            published_at=timezone.now(),
            published_by=by,
            status=OpinionStatus.PUBLISHED,
        )


def names_confidential_problem(text: str, inspection: Inspection) -> bool:
    titles = Problem.all_objects.filter(aspect__inspection=inspection, confidential=True)
    return any(title and title in text for title in titles.values_list("title", flat=True))


# --- measures from an opinion (the office decides) -------------------------------------------


def _office_on_problem(opinion: Opinion, by: User) -> Opinion:
    current = _locked(opinion, by)
    scope = access.scope_of(by)
    inspection = current.inspection
    access.require(scope, inspection, access.may_open_measure_from_opinion(scope, inspection))
    if current.problem_id is None:
        raise InvalidTransition(_("请先把意见对应到问题。"))
    return current


def open_measure(opinion: Opinion, *, by: User, content: str) -> Measure:
    """A new measure under the opinion's problem. The office's decision stands in for a plan
    change request, so it is made even after the plan was approved."""
    with transaction.atomic():
        current = _office_on_problem(opinion, by)
        problem = access.get_problem_for(by, current.problem_id)
        with access.applying_plan_change():
            measure = ledger_actions.add_measure(problem, by=by, content=content)
        audit.record(
            "opinion.open_measure", actor=by, target=current, detail=f"measure {measure.pk}"
        )
    return measure


def reopen_measure(opinion: Opinion, *, by: User, measure: Measure, reason: str) -> Measure:
    """Reopen a closed measure of the opinion's problem (``ledger.actions.reopen``)."""
    with transaction.atomic():
        current = _office_on_problem(opinion, by)
        found = access.get_measure_for(by, measure.pk)
        if found.problem_id != current.problem_id:
            _refuse("measure", _("只能重新打开该意见所对应问题的措施。"))
        if found.status not in (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE):
            raise InvalidTransition(_("只有已销号或阶段性完成的措施可以重新打开。"))
        reopened = ledger_actions.reopen(found, by=by, reason=reason)
        audit.record(
            "opinion.reopen_measure", actor=by, target=current, detail=f"measure {found.pk}"
        )
    return reopened

"""Publishing the 整改情况通报 and withdrawing it — audited actions — and the reads the public
pages make.

Who may act: the unit's leader approves and publishes the unit's notice (the text the public
reads is the unit's own statement); the leader or the inspection office of the region may
withdraw it, with a reason. Everyone who may read the inspection sees its publications.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import InvalidTransition, NotFound, ValidationError
from zhenggai.ledger.models import Inspection, User
from zhenggai.notice.model import Notice
from zhenggai.public.models import Publication
from zhenggai.reports.ledger import public_notice
from zhenggai.reports.official import NoticeText, notice_text


def draft(inspection: Inspection) -> tuple[Notice, NoticeText]:
    """What publishing now would put online: the public notice and its official text (the
    same paragraphs as the .docx, ``reports.official``)."""
    notice = public_notice(inspection)
    return notice, notice_text(notice)


def publish(inspection: Inspection, *, by: User) -> Publication:
    """Put the inspection's public notice online as a new version."""
    with transaction.atomic():
        current = access.get_inspection_for(by, inspection.pk)
        access.require(
            access.scope_of(by), current, access.may_publish(access.scope_of(by), current)
        )
        notice, official = draft(current)
        _check_publishable(notice)
        text = official.as_text()
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        latest = _latest(current)
        if latest is not None and latest.withdrawn_at is None and latest.digest == digest:
            raise InvalidTransition(_("通报内容与已公开的版本相同，无需重新公开。"))
        publication = Publication.objects.create(
            inspection=current,
            slug=latest.slug if latest is not None else secrets.token_urlsafe(9),
            version=(latest.version + 1) if latest is not None else 1,
            title=notice.title or f"{notice.issuer}关于巡察整改情况的通报",
            issuer=notice.issuer or current.unit.name,
            # The page shows these paragraphs, kinds and all; the text is their plain form.
            notice={**notice.to_dict(), "paragraphs": official.to_json()},
            text=text,
            digest=digest,
            published_by=by,
        )
        audit.record("public.publish", actor=by, target=publication, after=_record(publication))
    return publication


def _check_publishable(notice: Notice) -> None:
    if not notice.aspects:
        raise InvalidTransition(_("没有可以公开的问题（全部为不公开事项或尚未录入）。"))
    contacts = notice.contacts
    if not (contacts.phones or contacts.emails or contacts.post_boxes):
        message = _("通报须附监督联系方式（电话、电子邮箱或通信地址）后才能公开。")
        raise ValidationError(message, {"contacts": [message]})


def _latest(inspection: Inspection) -> Publication | None:
    found = Publication.objects.select_for_update().filter(inspection=inspection)
    return found.order_by("-version").first()


def withdraw(publication: Publication, *, by: User, reason: str) -> Publication:
    """Take the notice offline; the page answers 404 until a new version is published."""
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写撤回原因。")
        raise ValidationError(message, {"reason": [message]})
    with transaction.atomic():
        current = get_publication_for(by, publication.pk, lock=True)
        scope = access.scope_of(by)
        access.require(
            scope, current.inspection, access.may_withdraw_publication(scope, current.inspection)
        )
        if current.withdrawn_at is not None:
            raise InvalidTransition(_("该版本已经撤回。"))
        before = _record(current)
        current.withdrawn_at, current.withdrawn_by = timezone.now(), by
        current.withdraw_reason = reason
        current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        audit.record(
            "public.withdraw", actor=by, target=current, before=before, after=_record(current)
        )
    return current


def _record(publication: Publication) -> dict[str, Any]:
    """The audit trail keeps the digest, not the whole text (the row keeps the text)."""
    fields = ("inspection", "slug", "version", "title", "digest", "withdrawn_at", "withdraw_reason")
    return audit.snapshot(publication, fields)


# --- reads ---------------------------------------------------------------------------------


def publications_for(user: Any, inspection: Inspection) -> QuerySet[Publication]:
    """An inspection's versions, for those who may read the inspection."""
    current = access.get_inspection_for(user, inspection.pk)
    return Publication.objects.filter(inspection=current).select_related(
        "published_by", "withdrawn_by"
    )


def get_publication_for(user: Any, pk: Any, *, lock: bool = False) -> Publication:
    queryset = Publication.objects.filter(inspection__in=access.inspections_for(user))
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return access.get_one(queryset.select_related("inspection__round", "inspection__unit"), pk)


def online() -> QuerySet[Publication]:
    """The notices the public can read: each inspection's latest version, unless withdrawn."""
    latest = (
        Publication.objects.filter(inspection=OuterRef("inspection"))
        .values("inspection")
        .annotate(last=Max("version"))
        .values("last")
    )
    return Publication.objects.filter(version=Subquery(latest), withdrawn_at__isnull=True)


def online_by_slug(slug: str) -> Publication:
    found = online().filter(slug=slug).first()
    if found is None:
        raise NotFound()
    return found

"""群众监督意见: what the public writes back on a published notice, and how it is handled.

An opinion belongs to an inspection (and, when it came through the public page, to the
publication it was written on). Its states::

    待办理 ─assign→ 办理中 (a problem) ─answer→ 已答复 ─publish_answer→ 已公开答复
       └─mark_out_of_scope→ 不属于整改范围 (a reason) ─answer┘

The sender's tracking code is never stored: only its SHA-256 (``code_digest``), so neither a
copy of the database nor a clerk can read a code back; the code is shown once, on receipt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Inspection, Problem

USER = settings.AUTH_USER_MODEL


class OpinionChannel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("来信")
    EMAIL = "email", _("电子邮件")
    VISIT = "visit", _("来访")


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", _("待办理")
    ASSIGNED = "assigned", _("办理中")
    OUT_OF_SCOPE = "out_of_scope", _("不属于整改范围")
    ANSWERED = "answered", _("已答复")
    PUBLISHED = "published", _("已公开答复")


# Still waiting for an answer: these count as open and get a light.
OPEN_STATUSES = (OpinionStatus.RECEIVED, OpinionStatus.ASSIGNED, OpinionStatus.OUT_OF_SCOPE)
ANSWERED_STATUSES = (OpinionStatus.ANSWERED, OpinionStatus.PUBLISHED)


def attachment_path(opinion: Opinion, filename: str) -> str:
    # The stored name is the opinion's, never the sender's: only the database keeps that.
    return f"opinions/{opinion.inspection_id}/{timezone.now():%Y%m%d%H%M%S%f}"


class Opinion(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡察"), on_delete=models.PROTECT, related_name="opinions"
    )
    publication = models.ForeignKey(
        "public.Publication",
        verbose_name=_("公开通报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    channel = models.CharField(_("来源渠道"), max_length=10, choices=OpinionChannel.choices)
    code_digest = models.CharField(_("查询码摘要"), max_length=64, unique=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("意见内容"))
    attachment = models.FileField(_("附件"), upload_to=attachment_path, max_length=255, blank=True)
    attachment_name = models.CharField(_("附件原名"), max_length=255, blank=True)
    attachment_type = models.CharField(_("附件类型"), max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(_("附件大小（字节）"), null=True, blank=True)
    # HMAC of the sender's address (online only): enough to rate-limit, not to identify.
    address_digest = models.CharField(_("来源地址摘要"), max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField(_("收到时间"), default=timezone.now, db_index=True)
    registered_by = models.ForeignKey(
        USER,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("答复时限"))
    status = models.CharField(
        _("状态"), max_length=15, choices=OpinionStatus.choices, default=OpinionStatus.RECEIVED
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("对应问题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    scope_reason = models.TextField(_("不属于整改范围的理由"), blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        USER,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("答复公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER,
        verbose_name=_("批准公开答复"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("群众监督意见")
        verbose_name_plural = _("群众监督意见")
        ordering: ClassVar = ["-received_at", "-id"]
        indexes: ClassVar = [
            # The dashboard counts open / overdue / answered per unit through the inspection.
            models.Index(fields=["inspection", "status", "due"], name="opinion_dashboard"),
            models.Index(fields=["publication", "received_at"], name="opinion_notice_rate"),
        ]

    if TYPE_CHECKING:
        inspection_id: int
        problem_id: int | None
        publication_id: int | None

    def __str__(self) -> str:
        return f"监督意见 #{self.pk}"

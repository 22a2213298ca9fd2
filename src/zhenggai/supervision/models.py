"""Reminders (the in-app notifications, also e-mailed) and the escalation of overdue work:
督办单 (``SupervisionOrder``) and 约谈 (``Interview``).

Reminders are written only by ``reminders.send_reminders``; orders and interviews only by the
audited actions in ``escalation``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Evidence, Inspection, Measure, Region, Unit

USER = settings.AUTH_USER_MODEL
# 督〔2024〕3号: the prefix of a 督办单's number (GB/T 9704: year in 〔〕, no 第, no leading zeros).
ORDER_PREFIX = "督"


class Subject(models.TextChoices):
    """Which deadline a reminder is about."""

    MEASURE = "measure", _("整改措施完成时限")
    REVIEW = "review", _("长期坚持措施定期报告")
    PLAN = "plan", _("整改方案报送时限")
    REPORT = "report", _("整改情况报告报送时限")
    # What the inspection office must decide (reminders to the office, not to the unit).
    EXTENSION = "extension", _("待审批的延期申请")
    ORDER_REPLY = "order_reply", _("待办结的督办单回复")
    VERIFY = "verify", _("待验收的整改措施")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内")
    EMAIL = "email", _("站内和邮件")


class Reminder(models.Model):
    """One reminder to one person about one deadline at one stage; the row is the in-app
    notification. About a measure (``measure`` set) or about an inspection's plan or reports
    (``measure`` empty); ``inspection`` is always set, so reads are scoped like the ledger's."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡察"), on_delete=models.CASCADE, related_name="reminders"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("整改措施"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    recipient = models.ForeignKey(
        USER, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="reminders"
    )
    subject = models.CharField(_("事项"), max_length=20, choices=Subject.choices)
    # before_30 / before_7 / before_1 / due / overdue (the days are a setting, so no choices).
    kind = models.CharField(_("提醒类型"), max_length=20)
    deadline = models.DateField(_("时限"))
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    email = models.EmailField(_("邮箱"), blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering: ClassVar = ["-sent_at", "-id"]
        constraints: ClassVar = [
            # A reminder is sent once. Two partial constraints, because NULLs never collide in
            # a unique index: one for measures, one for the inspection's own deadlines. A new
            # deadline (approved extension) is a new key and gets its own reminders.
            models.UniqueConstraint(
                fields=["measure", "recipient", "subject", "kind", "deadline"],
                condition=Q(measure__isnull=False),
                name="reminder_once_per_measure",
            ),
            models.UniqueConstraint(
                fields=["inspection", "recipient", "subject", "kind", "deadline"],
                condition=Q(measure__isnull=True),
                name="reminder_once_per_inspection",
            ),
        ]
        indexes: ClassVar = [
            # The bell: WHERE recipient_id = %s AND read_at IS NULL ORDER BY sent_at DESC.
            models.Index(fields=["recipient", "read_at", "sent_at"], name="reminder_unread"),
            # E-mails still to send: WHERE channel = 'email' AND emailed_at IS NULL.
            models.Index(
                fields=["sent_at"],
                condition=Q(channel="email", emailed_at__isnull=True),
                name="reminder_email_pending",
            ),
        ]

    if TYPE_CHECKING:
        measure_id: int | None
        inspection_id: int
        recipient_id: int
        get_subject_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.deadline} {self.kind}"


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("已下发")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已办结")


class SupervisionOrder(models.Model):
    """督办单: the inspection office's written order about an overdue measure, numbered per
    region and year (督〔2024〕3号)."""

    region = models.ForeignKey(
        Region, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("整改措施"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    deadline = models.DateField(_("原完成时限"))
    required_action = models.TextField(_("督办事项"))
    reply_by = models.DateField(_("回复期限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        USER, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering: ClassVar = ["-issued_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["region", "year", "seq"], name="order_number_unique"),
        ]

    if TYPE_CHECKING:
        measure_id: int
        region_id: int
        get_status_display: Callable[[], str]

    @property
    def number(self) -> str:
        return f"{ORDER_PREFIX}〔{self.year}〕{self.seq}号"

    @property
    def last_reply(self) -> OrderReply | None:
        """The unit's latest answer (from ``prefetch_related("replies")`` when prefetched)."""
        replies = list(self.replies.all())  # type: ignore[attr-defined]
        return replies[-1] if replies else None

    def __str__(self) -> str:
        return self.number


class ReplyOutcome(models.TextChoices):
    PENDING = "pending", _("待审核")
    CLOSED = "closed", _("已办结")
    RETURNED = "returned", _("退回重报")


class OrderReply(models.Model):
    """The unit's answer to a 督办单 (its leader or liaison): what it did, with evidence of the
    measure attached; the office then closes the order or returns it for a better answer.
    Written only by the audited actions in ``escalation``."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办单"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("回复内容"))
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("佐证材料"), blank=True, related_name="order_replies"
    )
    replied_by = models.ForeignKey(
        USER, verbose_name=_("回复人"), on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(_("回复时间"), default=timezone.now)
    outcome = models.CharField(
        _("审核结果"), max_length=20, choices=ReplyOutcome.choices, default=ReplyOutcome.PENDING
    )
    reviewed_by = models.ForeignKey(
        USER,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("督办单回复")
        verbose_name_plural = _("督办单回复")
        ordering: ClassVar = ["order", "replied_at", "id"]

    if TYPE_CHECKING:
        order_id: int
        get_outcome_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.order} 回复 {self.replied_at:%Y-%m-%d}"


class Interview(models.Model):
    """约谈: the office talks to the unit's leaders about a measure or about the unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="interviews"
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("整改措施"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("督办单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
    )
    date = models.DateField(_("约谈日期"))
    people = models.TextField(_("约谈对象及参加人员"))
    summary = models.TextField(_("约谈情况"))
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering: ClassVar = ["-date", "-id"]

    if TYPE_CHECKING:
        unit_id: int
        measure_id: int | None
        order_id: int | None

    def __str__(self) -> str:
        return f"约谈 {self.date:%Y-%m-%d}"

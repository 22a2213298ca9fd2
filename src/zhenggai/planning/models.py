"""The 整改方案 (plan) of an inspection: its versions, the reviewers' opinions and the
change requests after approval.

The plan's content is the ledger itself (problems, measures and their owners — the three
lists); what lives here is the plan's life: each submission is a ``PlanVersion`` with a JSON
snapshot of the three lists and its SHA-256, reviewed by the office, the group and the
observers (``PlanOpinion``) and approved or returned by the office. An approved plan is frozen:
its measures change only through a ``ChangeRequest`` the office approves, which makes a new
version. Nothing here writes on its own: see ``zhenggai.planning.actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Inspection, Measure, Problem

USER = settings.AUTH_USER_MODEL


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("已报送待审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已审定")


class Plan(models.Model):
    """One inspection's plan: its state and the number of its latest version."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("巡察"), on_delete=models.CASCADE, related_name="plan"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("当前版本"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")

    if TYPE_CHECKING:
        inspection_id: int
        versions: models.Manager[PlanVersion]
        get_status_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.get_status_display()}"


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审定")


class PlanVersion(models.Model):
    """The plan as submitted (or as changed by an approved change request), never edited."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("整改方案"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=20, choices=VersionStatus.choices)
    snapshot = models.JSONField(_("三个清单"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    due = models.DateField(_("报送时限"), null=True, blank=True)
    late = models.BooleanField(_("逾期报送"), default=False)
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("审定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审定意见"), blank=True)

    class Meta:
        verbose_name = _("方案版本")
        verbose_name_plural = _("方案版本")
        ordering: ClassVar = ["plan", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]

    if TYPE_CHECKING:
        plan_id: int
        opinions: models.Manager[PlanOpinion]
        get_status_display: Callable[[], str]

    def __str__(self) -> str:
        return f"v{self.number} · {self.get_status_display()}"


class ReviewerRole(models.TextChoices):
    OFFICE = "office", _("巡察办")
    GROUP = "group", _("巡察组")
    OBSERVER = "observer", _("观察员（纪委、组织部）")


class PlanOpinion(models.Model):
    """One reviewer's opinion on one version (联审: the office, the group, the observers)."""

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("方案版本"), on_delete=models.CASCADE, related_name="opinions"
    )
    reviewer = models.ForeignKey(
        USER, verbose_name=_("审核人"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("审核角色"), max_length=20, choices=ReviewerRole.choices)
    agrees = models.BooleanField(_("同意"), default=True)
    text = models.TextField(_("审核意见"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering: ClassVar = ["version", "at", "id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["version", "reviewer"], name="plan_opinion_once_per_reviewer"
            ),
        ]

    if TYPE_CHECKING:
        get_role_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.text[:40]}"


class ChangeKind(models.TextChoices):
    NEW_MEASURE = "new_measure", _("新增措施")
    WITHDRAW_MEASURE = "withdraw_measure", _("撤销措施")
    NEW_OWNER = "new_owner", _("调整责任人")
    NEW_DEADLINE = "new_deadline", _("调整完成时限")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ChangeRequest(models.Model):
    """A change to an approved plan, asked by the unit and decided by the office.

    ``changes`` holds what the change sets: the new measure's fields, the new owners
    (``responsible_leader``, ``responsible_department``, ``responsible_person``, ``owner``) or
    the new ``deadline`` (ISO date)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("整改方案"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("变更类型"), max_length=30, choices=ChangeKind.choices)
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("问题"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("整改措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("形成版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("方案变更申请")
        verbose_name_plural = _("方案变更申请")
        ordering: ClassVar = ["plan", "requested_at", "id"]
        constraints: ClassVar = [
            # One open request per measure, as for deadline extensions.
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(status="pending", measure__isnull=False),
                name="change_request_one_pending",
            ),
        ]

    if TYPE_CHECKING:
        plan_id: int
        measure_id: int | None
        problem_id: int | None
        get_kind_display: Callable[[], str]
        get_status_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_status_display()}"

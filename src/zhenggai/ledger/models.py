"""The ledger's data model, named as in ``design/domain.md``.

Nothing here writes on its own: every change goes through ``zhenggai.ledger.actions``, which
checks the transition and writes the audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

USER = settings.AUTH_USER_MODEL

# The ``if TYPE_CHECKING`` blocks in the models below declare, for mypy without the
# django-stubs plugin, the attributes Django adds at run time (``*_id``, reverse relations,
# ``get_*_display``).


class User(AbstractUser):
    """An account. Roles and their scopes come from ``Membership`` rows, not from this table."""

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")  # type: ignore[assignment]
        verbose_name_plural = _("用户")  # type: ignore[assignment]


# --- organisations -------------------------------------------------------------------------


class Region(models.Model):
    """An administrative area whose party committee runs inspections (省/市/区县)."""

    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return str(self.name)

    @classmethod
    def with_descendants(cls, region_ids: Iterable[int]) -> set[int]:
        """The given regions and every region below them, one query per level of the tree."""
        found = set(region_ids)
        level = set(found)
        while level:
            level = set(cls.objects.filter(parent_id__in=level).values_list("id", flat=True))
            level -= found
            found |= level
        return found


class Unit(models.Model):
    """An inspected organisation (被巡察单位 / 党组织)."""

    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return str(self.short_name or self.name)


class InspectionGroup(models.Model):
    """巡察组, e.g. 区委第一巡察组."""

    if TYPE_CHECKING:
        region_id: int

    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("巡察组")
        verbose_name_plural = _("巡察组")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class RoundKind(models.TextChoices):
    REGULAR = "regular", _("常规巡察")
    SPECIAL = "special", _("专项巡察")
    LOOK_BACK = "look_back", _("巡察“回头看”")
    MOBILE = "mobile", _("机动巡察")
    CROSS = "cross", _("提级交叉巡察")
    LINKED = "linked", _("上下联动巡察")


class InspectionRound(models.Model):
    """届/轮, e.g. 十四届区委第五轮巡察."""

    if TYPE_CHECKING:
        region_id: int

    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("届次轮次"), max_length=100)
    kind = models.CharField(
        _("巡察类型"), max_length=20, choices=RoundKind.choices, default=RoundKind.REGULAR
    )

    class Meta:
        verbose_name = _("巡察轮次")
        verbose_name_plural = _("巡察轮次")
        ordering: ClassVar = ["region", "name"]

    def __str__(self) -> str:
        return str(self.name)


class Role(models.TextChoices):
    OFFICE = "office", _("巡察办")
    GROUP = "group", _("巡察组")
    UNIT_LEADER = "unit_leader", _("单位主要负责人")
    LIAISON = "liaison", _("整改联络员")
    OWNER = "owner", _("整改责任人")
    OBSERVER = "observer", _("观察员（纪委、组织部）")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


REGION_ROLES = (Role.OFFICE, Role.OBSERVER)
UNIT_ROLES = (Role.UNIT_LEADER, Role.LIAISON, Role.OWNER)
# 三员: the three administrator roles of 等保 level 3. They have no scope and read no ledger
# content; each does only its own part of administration (see ``zhenggai.ledger.admin``).
ADMIN_ROLES = (Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class Membership(models.Model):
    """A user's role and the one scope it applies to (a region, a unit or an inspection group)."""

    user = models.ForeignKey(
        USER, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("区域"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    group = models.ForeignKey(
        InspectionGroup, verbose_name=_("巡察组"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints: ClassVar = [
            # Exactly the scope the role needs, so access.py never has to guess.
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=REGION_ROLES,
                        region__isnull=False,
                        unit__isnull=True,
                        group__isnull=True,
                    )
                    | Q(
                        role__in=UNIT_ROLES,
                        unit__isnull=False,
                        region__isnull=True,
                        group__isnull=True,
                    )
                    | Q(
                        role=Role.GROUP,
                        group__isnull=False,
                        region__isnull=True,
                        unit__isnull=True,
                    )
                    | Q(
                        role__in=ADMIN_ROLES,
                        region__isnull=True,
                        unit__isnull=True,
                        group__isnull=True,
                    )
                ),
            ),
        ]

    if TYPE_CHECKING:
        get_role_display: Callable[[], str]

    def __str__(self) -> str:
        scope = self.region or self.unit or self.group
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")


# --- the inspection tree -------------------------------------------------------------------


class Withdrawable(models.Model):
    """Soft removal: a withdrawn row stays (and its audit trail with it) but leaves every list,
    count and document; the office sees it struck through with its reason and may restore it."""

    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class CurrentManager(models.Manager[Any]):
    """The default manager of problems and measures: rows not withdrawn. ``all_objects``
    includes the withdrawn ones (the office's tree, restoring, numbering)."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(withdrawn_at__isnull=True)


class Inspection(Withdrawable, models.Model):
    """One inspection of one unit by one group in one round, and its feedback."""

    round = models.ForeignKey(
        InspectionRound,
        verbose_name=_("轮次"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    group = models.ForeignKey(
        InspectionGroup,
        verbose_name=_("巡察组"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("被巡察单位"), on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField(_("标题"), max_length=300, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=200, blank=True)
    start = models.DateField(_("巡察开始日期"), null=True, blank=True)
    end = models.DateField(_("巡察结束日期"), null=True, blank=True)
    feedback_date = models.DateField(_("反馈日期"), null=True, blank=True)
    contacts = models.JSONField(_("监督联系方式"), default=dict, blank=True)
    leads_count = models.PositiveIntegerField(
        _("移交问题线索数"),
        default=0,
        help_text=_("移交纪委监委的问题线索件数：只有巡察组、巡察办和观察员看得到。"),
    )
    # Before hand-over the unit's roles do not see the inspection at all. Rows made outside
    # the feedback entry (notice imports, earlier data) were published, so they count as
    # handed over when they were made; ``actions.new_inspection`` clears it for new feedback.
    handed_over_at = models.DateTimeField(
        _("交付反馈时间"), null=True, blank=True, default=timezone.now
    )
    # The 整改情况报告 sent to the inspecting body: meets the statutory report deadline.
    report_submitted_at = models.DateTimeField(_("整改情况报告报送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("巡察")
        verbose_name_plural = _("巡察")
        ordering: ClassVar = ["-feedback_date", "-id"]
        indexes: ClassVar = [
            # The paginated lists (web.pages.NEWEST): ORDER BY feedback_date DESC, id DESC
            # LIMIT 50 walks this index instead of sorting every inspection of a province.
            models.Index(fields=["-feedback_date", "-id"], name="inspection_newest"),
        ]

    if TYPE_CHECKING:
        unit_id: int
        group_id: int
        round_id: int
        aspects: RelatedManager[Aspect]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class Aspect(models.Model):
    """方面: the first level of the feedback (一、二、…)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡察"), on_delete=models.CASCADE, related_name="aspects"
    )
    no = models.PositiveSmallIntegerField(_("序号"))
    title = models.TextField(_("标题"))

    class Meta:
        verbose_name = _("方面")
        verbose_name_plural = _("方面")
        ordering: ClassVar = ["inspection", "no"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["inspection", "no"], name="aspect_no_unique"),
        ]

    if TYPE_CHECKING:
        problems: RelatedManager[Problem]

    def __str__(self) -> str:
        return str(self.title)


class ProblemStatus(models.TextChoices):
    """Derived from the problem's measures; never stored."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("已提交待验收")
    PHASE_COMPLETE = "phase_complete", _("阶段性完成")
    CLOSED = "closed", _("已销号")


class ProblemQuerySet(models.QuerySet["Problem"]):
    def with_status(self) -> ProblemQuerySet:
        """Annotate ``derived_status`` (see ``derive_problem_status``) in the same query."""
        current = Q(measures__withdrawn_at__isnull=True)
        counts = {
            f"_n_{status}": Count("measures", filter=current & Q(measures__status=status))
            for status in MeasureStatus.values
        }
        annotated = self.annotate(_n_total=Count("measures", filter=current), **counts)
        return annotated.annotate(
            derived_status=models.Case(
                models.When(_n_total=0, then=models.Value(ProblemStatus.NOT_STARTED)),
                _all_in("closed", then=ProblemStatus.CLOSED),
                _all_in("closed", "phase_complete", then=ProblemStatus.PHASE_COMPLETE),
                _all_in("closed", "phase_complete", "submitted", then=ProblemStatus.SUBMITTED),
                _all_in("not_started", then=ProblemStatus.NOT_STARTED),
                default=models.Value(ProblemStatus.IN_PROGRESS),
                output_field=models.CharField(),
            )
        )


def _all_in(*statuses: str, then: str) -> models.When:
    """``When`` the measures in ``statuses`` are all of the problem's measures."""
    counted: Any = models.F(f"_n_{statuses[0]}")
    for status in statuses[1:]:
        counted += models.F(f"_n_{status}")
    return models.When(_n_total=counted, then=models.Value(then))


class CurrentProblemManager(CurrentManager, models.Manager.from_queryset(ProblemQuerySet)):  # type: ignore[misc]
    """Problems not withdrawn, with ``with_status()``."""


class Problem(Withdrawable, models.Model):
    """问题: the second level (（一）（二）…); may be implicit when the notice skips the level."""

    aspect = models.ForeignKey(
        Aspect, verbose_name=_("方面"), on_delete=models.CASCADE, related_name="problems"
    )
    no = models.PositiveSmallIntegerField(_("序号"))
    title = models.TextField(_("问题"))
    text = models.TextField(_("问题原文"), blank=True)
    cause_analysis = models.TextField(_("原因分析"), blank=True)
    confidential = models.BooleanField(
        _("不予公开"),
        default=False,
        help_text=_("涉密、在查案件或敏感事项：不出现在任何公开材料中。"),
    )
    implicit = models.BooleanField(_("无独立问题标题"), default=False)
    immediate = models.BooleanField(
        _("立行立改"), default=False, help_text=_("巡察组要求被巡察单位立即整改的问题。")
    )

    objects = CurrentProblemManager()
    all_objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering: ClassVar = ["aspect", "no"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["aspect", "no"], name="problem_no_unique"),
        ]

    if TYPE_CHECKING:
        measures: RelatedManager[Measure]

    def __str__(self) -> str:
        return str(self.title)


# --- measures and their workflow -----------------------------------------------------------


class MeasureKind(models.TextChoices):
    UNSET = "", _("未确定")
    IMMEDIATE = "immediate", _("立行立改")
    DEADLINE = "deadline", _("限期整改")
    ONGOING = "ongoing", _("长期坚持")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("整改中")
    SUBMITTED = "submitted", _("已提交待验收")
    RETURNED = "returned", _("退回")
    PHASE_COMPLETE = "phase_complete", _("阶段性完成")
    CLOSED = "closed", _("已销号")


# The unit may edit the measure and its evidence only in these states.
EDITABLE_STATUSES = (MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS, MeasureStatus.RETURNED)


def derive_problem_status(measure_statuses: Iterable[str]) -> ProblemStatus:
    """A problem's status from its measures' (the same rule as ``with_status()`` in SQL)."""
    statuses = list(measure_statuses)
    done = {MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE}
    if not statuses:
        return ProblemStatus.NOT_STARTED
    if all(s == MeasureStatus.CLOSED for s in statuses):
        return ProblemStatus.CLOSED
    if all(s in done for s in statuses):
        return ProblemStatus.PHASE_COMPLETE
    if all(s in done | {MeasureStatus.SUBMITTED} for s in statuses):
        return ProblemStatus.SUBMITTED
    if all(s == MeasureStatus.NOT_STARTED for s in statuses):
        return ProblemStatus.NOT_STARTED
    return ProblemStatus.IN_PROGRESS


class Measure(Withdrawable, models.Model):
    """整改措施: the unit of work, of evidence and of close-out."""

    objects = CurrentManager()
    all_objects = models.Manager()

    # Denormalised from problem → aspect → inspection (set once, never changed) so that the
    # access and dashboard queries filter measures with one join instead of four.
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("巡察"), on_delete=models.CASCADE, related_name="measures"
    )
    problem = models.ForeignKey(
        Problem, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="measures"
    )
    no = models.PositiveSmallIntegerField(_("序号"))
    content = models.TextField(_("整改措施"))
    kind = models.CharField(
        _("整改类型"), max_length=20, choices=MeasureKind.choices, default="", blank=True
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=100, blank=True)
    responsible_department = models.CharField(_("责任部门"), max_length=200, blank=True)
    responsible_person = models.CharField(_("责任人"), max_length=100, blank=True)
    owner = models.ForeignKey(
        USER,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_measures",
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    completion_standard = models.TextField(_("完成标准"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.NOT_STARTED
    )
    progress = models.TextField(_("整改进展"), blank=True)
    completed_date = models.DateField(_("完成日期"), null=True, blank=True)
    review_period_months = models.PositiveSmallIntegerField(
        _("定期报告周期（月）"), null=True, blank=True, help_text=_("仅用于长期坚持类措施。")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering: ClassVar = ["problem", "no"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["problem", "no"], name="measure_no_unique"),
        ]
        indexes: ClassVar = [
            # Dashboard lights: open measures due before a date (overdue = red, within 7 days =
            # yellow): WHERE status IN (…) AND deadline < %s.
            models.Index(fields=["status", "deadline"], name="measure_status_deadline"),
            # Ledger and dashboard counts per inspection: WHERE inspection_id IN (…)
            # GROUP BY status.
            models.Index(fields=["inspection", "status"], name="measure_inspection_status"),
            # "My measures" for an owner: WHERE owner_id = %s AND status IN (…).
            models.Index(fields=["owner", "status"], name="measure_owner_status"),
        ]

    if TYPE_CHECKING:
        owner_id: int | None
        inspection_id: int
        evidence: RelatedManager[Evidence]
        decisions: RelatedManager[Decision]
        extensions: RelatedManager[DeadlineExtension]
        notes: RelatedManager[ProgressNote]
        get_status_display: Callable[[], str]

    def __str__(self) -> str:
        return str(self.content)[:40]


class ProgressNote(models.Model):
    """A dated report of progress, e.g. the quarterly report of a 长期坚持 measure."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("进展情况"))
    date = models.DateField(_("日期"))
    author = models.ForeignKey(USER, verbose_name=_("填报人"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进展记录")
        verbose_name_plural = _("进展记录")
        ordering: ClassVar = ["measure", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:40]}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("文件")
    REFERENCE = "reference", _("文件索引")


def evidence_path(evidence: Evidence, filename: str) -> str:
    """Store files under their checksum: names from users (Chinese, spaces) never reach disk."""
    suffix = "".join(c for c in filename.rpartition(".")[2][:10] if c.isalnum())
    name = evidence.sha256 + (f".{suffix.lower()}" if "." in filename and suffix else "")
    return f"evidence/{evidence.sha256[:2]}/{name}"


class Evidence(models.Model):
    """佐证材料: an uploaded file, or a reference to a document (文号, 题名, date, pages)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=EvidenceKind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), null=True, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    title = models.CharField(_("题名"), max_length=300, blank=True)
    date = models.DateField(_("成文日期"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    frozen = models.BooleanField(_("已锁定"), default=False)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("上传人"), on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering: ClassVar = ["measure", "uploaded_at", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                name="evidence_file_or_reference",
                condition=(
                    Q(kind=EvidenceKind.FILE, size__isnull=False) & ~Q(sha256="")
                    | Q(kind=EvidenceKind.REFERENCE) & ~Q(title="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.original_name or self.title)


class DecisionKind(models.TextChoices):
    SUBMIT = "submit", _("提交验收")
    VERIFY = "verify", _("验收通过（阶段性完成）")
    RETURN = "return", _("退回")
    CLOSE_OUT = "close_out", _("验收销号")
    REOPEN = "reopen", _("重新打开")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("不予延期")


class Decision(models.Model):
    """Who decided what about a measure, when, why, and the measure as it was at that moment."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=DecisionKind.choices)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("理由"), blank=True)
    snapshot = models.JSONField(_("当时的措施"), default=dict)

    class Meta:
        verbose_name = _("决定")
        verbose_name_plural = _("决定")
        ordering: ClassVar = ["measure", "at", "id"]

    if TYPE_CHECKING:
        actor_id: int
        get_kind_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class DeadlineExtension(models.Model):
    """A request by the unit to move a measure's deadline; the office decides."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("整改措施"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_deadline = models.DateField(_("原完成时限"), null=True, blank=True)
    requested_deadline = models.DateField(_("申请延至"))
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        USER, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(
        _("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
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

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering: ClassVar = ["measure", "requested_at", "id"]
        constraints: ClassVar = [
            # At most one open request per measure: the office decides one thing at a time.
            models.UniqueConstraint(
                fields=["measure"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending",
            ),
        ]

    if TYPE_CHECKING:
        measure_id: int
        get_status_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.requested_deadline} · {self.get_status_display()}"


# --- the audit trail -----------------------------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Audit rows are written once, by ``audit.record``, and never changed through the ORM."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("audit events cannot be deleted")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:
        raise TypeError("audit events are written one by one, by zhenggai.ledger.audit.record")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise TypeError("audit events cannot be updated")


class AuditEvent(models.Model):
    """One audited event: who, when, what, on which object, before and after, and whether it
    succeeded. Rows form a hash chain (``prev_hash`` → ``hash``) that ``verify_audit_chain``
    checks, so a row changed or removed behind the system's back is detected."""

    actor = models.ForeignKey(
        USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人账号"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    action = models.CharField(_("事件"), max_length=50)
    target_type = models.CharField(_("对象类型"), max_length=50, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=50, blank=True)
    target_label = models.CharField(_("对象"), max_length=300, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    success = models.BooleanField(_("是否成功"), default=True)
    detail = models.TextField(_("详情"), blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)
    # Which key signed the row (``audit.key_id``); empty for rows written before the chain
    # had a key, whose hash is plain SHA-256.
    key_id = models.CharField(_("签名密钥"), max_length=16, blank=True, default="")
    # Which chain the row links into: one per region (``region-<id>``), so that writers of
    # different regions do not wait on one head row; ``global`` for events of no region
    # (logins, accounts, backups) and for every row written before chains were split.
    chain = models.CharField(_("审计链"), max_length=32, default="global")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering: ClassVar = ["id"]
        indexes: ClassVar = [
            # The history shown on each object: WHERE target_type = %s AND target_id = %s.
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            # The audit administrator's search by person and period: WHERE actor_id = %s
            # AND at BETWEEN %s AND %s.
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            # One chain walked alone, and its newest row: WHERE chain = %s ORDER BY id.
            models.Index(fields=["chain", "id"], name="audit_chain_id"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("audit events cannot be deleted")


class AuditChainHead(models.Model):
    """The hash of the newest audit event of one chain, in one row that its writers lock.

    Locking this row (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers anyway)
    makes concurrent writers of one chain append one after another instead of forking it;
    writers of other chains (other regions) lock other rows and do not wait.
    """

    name = models.CharField(max_length=32, unique=True, default="global")
    last_hash = models.CharField(max_length=64)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计链")
        verbose_name_plural = _("审计链")

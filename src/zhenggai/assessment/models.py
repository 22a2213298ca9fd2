"""Look-back links between problems of different rounds, the office's verdicts on earlier
problems, and the effectiveness sheet (整改评估).

Rows are written only by the audited services in ``zhenggai.assessment.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Inspection, Problem

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

USER = settings.AUTH_USER_MODEL


class LinkKind(models.TextChoices):
    REPEAT = "repeat", _("边改边犯（重复问题）")
    RELATED = "related", _("相关问题")


class LinkState(models.TextChoices):
    CANDIDATE = "candidate", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已否定")


class ProblemLink(models.Model):
    """A new problem matched to an earlier round's problem of the same unit."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("本轮问题"), on_delete=models.CASCADE, related_name="earlier_links"
    )
    earlier = models.ForeignKey(
        Problem, verbose_name=_("上轮问题"), on_delete=models.CASCADE, related_name="later_links"
    )
    score = models.FloatField(_("相似度"))
    shared = models.JSONField(_("相同词语"), default=list, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=LinkKind.choices)
    state = models.CharField(
        _("确认状态"), max_length=20, choices=LinkState.choices, default=LinkState.CANDIDATE
    )
    reason = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    created_by = models.ForeignKey(
        USER, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("问题关联")
        verbose_name_plural = _("问题关联")
        ordering: ClassVar = ["problem", "-score", "id"]
        constraints: ClassVar = [
            # Matching again must not duplicate a link (nor undo the office's decision on it).
            models.UniqueConstraint(fields=["problem", "earlier"], name="problem_link_unique"),
        ]

    if TYPE_CHECKING:
        problem_id: int
        earlier_id: int
        get_kind_display: Callable[[], str]
        get_state_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.problem} ↔ {self.earlier}"


class PriorStatus(models.TextChoices):
    """The status of an earlier round's problem in a look-back (2 CFR 200.511's four)."""

    FULLY = "fully", _("已整改到位")
    PARTLY = "partly", _("部分整改")
    NOT = "not", _("未整改")
    NO_LONGER_VALID = "no_longer_valid", _("已不适用")


class PriorStatusOverride(models.Model):
    """The office's own verdict on an earlier problem in one look-back, with its reason."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("回头看巡察"),
        on_delete=models.CASCADE,
        related_name="prior_status_overrides",
    )
    problem = models.ForeignKey(
        Problem, verbose_name=_("上轮问题"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("整改状态"), max_length=20, choices=PriorStatus.choices)
    reason = models.TextField(_("理由"))
    by = models.ForeignKey(USER, verbose_name=_("认定人"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("认定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("上轮问题整改状态认定")
        verbose_name_plural = _("上轮问题整改状态认定")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["inspection", "problem"], name="prior_status_override_unique"
            ),
        ]

    if TYPE_CHECKING:
        problem_id: int

    def __str__(self) -> str:
        return f"{self.problem}: {self.status}"


class Indicator(models.Model):
    """One line of the effectiveness sheet; the office may change points, names, or switch a
    line off. ``source`` names the computation in ``zhenggai.review.effectiveness`` or is
    ``manual`` (entered by hand, e.g. the 群众满意度 survey)."""

    code = models.CharField(_("编号"), max_length=20, unique=True)
    area = models.CharField(_("评估方面"), max_length=50)
    name = models.CharField(_("指标"), max_length=200)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)
    source = models.CharField(_("计算方式"), max_length=50)
    description = models.TextField(_("评分标准"), blank=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评估指标")
        verbose_name_plural = _("评估指标")
        ordering: ClassVar = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class Assessment(models.Model):
    """The effectiveness sheet of one inspection's rectification; assessing again updates it."""

    inspection = models.OneToOneField(
        Inspection, verbose_name=_("巡察"), on_delete=models.CASCADE, related_name="assessment"
    )
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=1, default=0)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)
    complete = models.BooleanField(_("人工指标已填齐"), default=False)
    assessed_at = models.DateTimeField(_("评估时间"), default=timezone.now)
    assessed_by = models.ForeignKey(
        USER, verbose_name=_("评估人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("整改评估")
        verbose_name_plural = _("整改评估")

    if TYPE_CHECKING:
        inspection_id: int
        scores: RelatedManager[Score]
        get_grade_display: Callable[[], str]

    def __str__(self) -> str:
        return f"{self.inspection}: {self.total}"


class Score(models.Model):
    """The points of one indicator in one assessment, and what they rest on."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("整改评估"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    manual = models.BooleanField(_("人工填报"), default=False)
    basis = models.TextField(_("评分依据"), blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering: ClassVar = ["indicator__order", "indicator__code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="score_unique"),
        ]

    if TYPE_CHECKING:
        indicator_id: int

    def __str__(self) -> str:
        return f"{self.indicator}: {self.points}"

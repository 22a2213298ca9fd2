"""The published 整改情况通报: what the public reads, frozen as it was approved.

Regulations (条例 2017 art. 32) require the published text to equal the approved version, so
a publication keeps its own copy of the text (and its SHA-256) instead of reading the ledger
each time; publishing again after a change makes a new version. Confidential problems are
never in it (``reports.ledger.public_notice`` leaves them out before anything is stored).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Inspection

USER = settings.AUTH_USER_MODEL


class Publication(models.Model):
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("巡察"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    # The public address, the same for every version of one inspection's notice; random, so
    # the addresses do not reveal how many inspections the system holds.
    slug = models.CharField(_("公开地址"), max_length=20, db_index=True)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发布单位"), max_length=200)
    notice = models.JSONField(_("通报结构"))
    text = models.TextField(_("通报全文"))
    digest = models.CharField(_("全文摘要（SHA-256）"), max_length=64)
    published_at = models.DateTimeField(_("公开时间"), default=timezone.now)
    published_by = models.ForeignKey(
        USER, verbose_name=_("批准公开"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        USER,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        verbose_name = _("公开通报")
        verbose_name_plural = _("公开通报")
        ordering: ClassVar = ["-published_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["inspection", "version"], name="publication_version_unique"
            ),
        ]

    if TYPE_CHECKING:
        inspection_id: int
        get_next_by_published_at: Callable[..., Publication]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def heading(self) -> str:
        """中共…党组关于巡察整改情况的通报: the title with its issuer, as a list shows it."""
        title, issuer = str(self.title), str(self.issuer)
        return title if title.startswith(issuer) else issuer + title

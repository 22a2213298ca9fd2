"""A unit's document settings: the 版头 of the documents it owes (GB/T 9704-2012 §7.2).

Written only by ``zhenggai.documents.actions.update_settings`` (audited); read by the document
builders in ``zhenggai.reports`` through ``letterhead_for``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenggai.ledger.models import Unit

USER = settings.AUTH_USER_MODEL


class UnitDocumentSettings(models.Model):
    """发文机关标志, the 发文字号 (prefix, year and next serial) and the 签发人 of one unit."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="document_settings"
    )
    organ_mark = models.CharField(
        _("发文机关标志"),
        max_length=100,
        help_text=_("版头红字，如“中共开封市龙亭区科协党组”或“开封市龙亭区科学技术协会文件”。"),
    )
    number_prefix = models.CharField(
        _("发文机关代字"),
        max_length=30,
        help_text=_("如“汴科协文”，字号写作 汴科协文〔2024〕6号。"),
    )
    number_year = models.PositiveSmallIntegerField(_("年份"))
    next_number = models.PositiveIntegerField(_("下一个发文顺序号"), default=1)
    signer = models.CharField(
        _("签发人"), max_length=50, blank=True, help_text=_("上报的报告（上行文）标注签发人。")
    )
    updated_by = models.ForeignKey(
        USER, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公文版头设置")
        verbose_name_plural = _("公文版头设置")

    if TYPE_CHECKING:
        unit_id: int

    def __str__(self) -> str:
        return str(self.organ_mark)

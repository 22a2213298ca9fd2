"""API tokens: a program acting for one account, with that account's scope and no more.

Only the token's SHA-256 is stored (the token itself is shown once, when it is made), so a
copy of the database does not hand out access. Tokens expire, and are revoked, never deleted,
so the audit trail can always name the token that made a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=100)
    # The first characters of the token, shown in lists so the owner can tell tokens apart.
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering: ClassVar = ["-created_at", "-id"]

    if TYPE_CHECKING:
        user_id: int
        get_next_by_created_at: Callable[..., ApiToken]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_active(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and self.expires_at > moment  # type: ignore[operator]

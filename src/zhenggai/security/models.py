"""What the login rules keep about an account, beside the user table (which is ledger's)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class AccountSecurity(models.Model):
    """One row per account, made on first need (``security_of``)."""

    user = models.OneToOneField(
        USER, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="security"
    )
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    require_2fa = models.BooleanField(_("须双因素认证"), default=False)

    class Meta:
        verbose_name = _("账号安全")
        verbose_name_plural = _("账号安全")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of an account's earlier passwords (never the passwords)."""

    user = models.ForeignKey(
        USER, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

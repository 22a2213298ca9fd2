"""django-otp's own admin screens show each device's secret key (and a QR code of it): nobody,
not even a superuser, should read another person's second factor. The security
administrator resets a factor instead (``twofactor.reset_second_factor``).

The admin pages of django-axes (sign-in attempts) and of Django's groups are read-only: their
writes would bypass the audit chain, and each has an audited door of its own (unlocking is
``lockout.unlock``, groups are set on an account's page through ``admin_actions``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhenggai.ledger import access
from zhenggai.ledger.admin import ZhenggaiUserAdmin
from zhenggai.security import lockout, twofactor

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _read_only(page: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    class ReadOnly(page):  # type: ignore[valid-type,misc]
        def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
            return False

        def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False

        def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
            return False

    ReadOnly.__name__ = f"ReadOnly{page.__name__}"
    return ReadOnly


for model in (AccessAttempt, AccessFailureLog, AccessLog, Group):
    if admin.site.is_registered(model):
        page = type(admin.site._registry[model])
        admin.site.unregister(model)
        admin.site.register(model, _read_only(page))


# --- the security administrator's actions on the account list ------------------------------
# Each runs the audited function of this app for every selected account the administrator
# may act on (``access.may_set_password``: not a superuser, not another administrator, not
# oneself) and says, in one line, what was done and what was refused.


def _each_account(
    request: HttpRequest, accounts: QuerySet[Any], act: Callable[[Any], object]
) -> tuple[int, int]:
    done = refused = 0
    for account in accounts:
        if access.may_set_password(request.user, account):
            act(account)
            done += 1
        else:
            refused += 1
    return done, refused


def _report(model_admin: Any, request: HttpRequest, done: int, refused: int, what: str) -> None:
    message = _("%(what)s：%(done)d 个账号。") % {"what": what, "done": done}
    if refused:
        message += _("另有 %(refused)d 个账号不能由您操作（超级用户、管理员或您本人）。") % {
            "refused": refused
        }
    model_admin.message_user(request, message, messages.WARNING if refused else messages.SUCCESS)


@admin.action(description=_("解除登录锁定"), permissions=["security"])
def unlock_accounts(model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    done, refused = _each_account(
        request, queryset, lambda account: lockout.unlock(account, by=request.user)
    )
    _report(model_admin, request, done, refused, _("已解除登录锁定"))


@admin.action(description=_("重置双因素认证（并吊销接口令牌）"), permissions=["security"])
def reset_second_factors(model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    done, refused = _each_account(
        request,
        queryset,
        lambda account: twofactor.reset_second_factor(account, by=request.user),
    )
    _report(model_admin, request, done, refused, _("已重置双因素认证"))


@admin.action(description=_("要求使用双因素认证"), permissions=["security"])
def require_second_factor(model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    done, refused = _each_account(
        request,
        queryset,
        lambda account: twofactor.set_required(account, True, by=request.user),
    )
    _report(model_admin, request, done, refused, _("已要求使用双因素认证"))


ZhenggaiUserAdmin.actions = (
    *(ZhenggaiUserAdmin.actions or ()),
    unlock_accounts,
    reset_second_factors,
    require_second_factor,
)

"""Login lockout on top of django-axes: the address, the lock's end, the Chinese page, unlock.

axes counts failures per user name and, separately, per address (``AXES_LOCKOUT_PARAMETERS``);
``ZHENGGAI_LOCKOUT_FAILURES`` of either within ``ZHENGGAI_LOCKOUT_MINUTES`` lock it until that
long after the last failure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.ledger import audit


def client_address(request: HttpRequest) -> str:
    """The peer's address. The server behind a trusted reverse proxy puts the real client's
    address in REMOTE_ADDR; a forwarded header from anyone else is never believed."""
    return str(request.META.get("REMOTE_ADDR", ""))


def _cool_off() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ZHENGGAI_LOCKOUT_MINUTES)


def locked_until(*, username: str = "", address: str = "") -> dt.datetime | None:
    """When the lock on this user name or address ends, or None when neither is locked."""
    since = timezone.now() - _cool_off()
    ends = []
    for field, value in (("username", username), ("ip_address", address)):
        if not value:
            continue
        recent = AccessAttempt.objects.filter(**{field: value}, attempt_time__gte=since)
        totals = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= settings.ZHENGGAI_LOCKOUT_FAILURES:
            ends.append(totals["last"] + _cool_off())
    return max(ends, default=None)


def is_locked(user: Any) -> bool:
    return locked_until(username=user.get_username()) is not None


def lockout_message(until: dt.datetime | None) -> str:
    shown = timezone.localtime(until or timezone.now() + _cool_off())
    return _("登录失败次数过多，账号已锁定至 %(time)s，请稍后再试或联系安全管理员。") % {
        "time": shown.strftime("%H:%M")
    }


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """axes' lockout page (web and admin login): the login page with the lock's end."""
    username = str((credentials or {}).get("username", "") or request.POST.get("username", ""))
    until = locked_until(username=username, address=client_address(request))
    context = {"message": lockout_message(until), "username": username}
    return render(request, "security/locked.html", context, status=429)


def unlock(user: Any, *, by: Any) -> int:
    """Lift the account's lock (the security administrator's job); audited. The number of
    failure records removed (0: it was not locked)."""
    with transaction.atomic():
        removed, _kinds = AccessAttempt.objects.filter(username=user.get_username()).delete()
        audit.record(
            "auth.unlock", actor=by, target=user, detail=f"failure records removed: {removed}"
        )
    return removed


def unlock_address(address: str, *, by: Any) -> int:
    """Lift the lock on an address (e.g. a shared office NAT); audited."""
    with transaction.atomic():
        removed, _kinds = AccessAttempt.objects.filter(ip_address=address).delete()
        audit.record("auth.unlock_address", actor=by, detail=f"address={address} removed={removed}")
    return removed

"""Password rules beyond Django's own, the history they need and the age of a password.

The history is written when Django reports a password change (``password_changed`` of a
validator, called by ``User.save`` after ``set_password``): every way a password is set —
the change page, the admin, ``createsuperuser``, the demo — leaves its hash here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenggai.security.models import AccountSecurity, PasswordHistory

# The account making the current request (set by the middleware). When someone sets another
# account's password (the admin's set / reset), that account must choose its own next.
acting_user: contextvars.ContextVar[Any] = contextvars.ContextVar("acting_user", default=None)

MIN_USERNAME = 3  # shorter user names would forbid half the alphabet


def security_of(user: Any) -> AccountSecurity:
    record, _created = AccountSecurity.objects.get_or_create(user=user)
    return record


def password_changed_at(user: Any) -> dt.datetime | None:
    """When the user last set a password (a read: no record is made for it)."""
    rows = AccountSecurity.objects.filter(user=user).values_list("password_changed_at", flat=True)
    return rows.first()


class MinimumLengthValidator:
    """``ZHENGGAI_PASSWORD_MIN_LENGTH`` characters. Django's own says so in English only: its
    Chinese catalogue lags behind the message Django 5.2 shows."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return _("密码长度太短，至少须有 %(n)d 个字符。") % {"n": self.min_length}


class NoUsernameValidator:
    """No account's user name (three characters or more) in the password, in any case."""

    def validate(self, password: str, user: Any = None) -> None:
        lowered = password.lower()
        names = get_user_model().objects.values_list("username", flat=True)
        own = user.get_username() if user is not None else ""
        for name in [*names, own]:
            if len(name) >= MIN_USERNAME and name.lower() in lowered:
                raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self) -> str:
        return _("密码不能包含任何账号的用户名。")


class HistoryValidator:
    """None of the last ``ZHENGGAI_PASSWORD_HISTORY`` passwords again (the current included)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : settings.ZHENGGAI_PASSWORD_HISTORY
            ]
        )
        stored = get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True)
        if any(check_password(password, encoded) for encoded in [*hashes, *stored]):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": settings.ZHENGGAI_PASSWORD_HISTORY}

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            remember(user)


def remember(user: Any) -> None:
    """Keep the new hash and the date; a password someone else set must be changed."""
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    keep = PasswordHistory.objects.filter(user=user)[: settings.ZHENGGAI_PASSWORD_HISTORY]
    PasswordHistory.objects.filter(user=user).exclude(
        pk__in=list(keep.values_list("pk", flat=True))
    ).delete()
    actor = acting_user.get()
    record = security_of(user)
    record.password_changed_at = now
    record.must_change_password = actor is not None and actor.pk != user.pk
    record.save(update_fields=["password_changed_at", "must_change_password"])


def mark_must_change(user: Any) -> None:
    """The next login asks for a new password (a generated or reset one)."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


def password_expired(user: Any, now: dt.datetime | None = None) -> bool:
    days = settings.ZHENGGAI_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    changed = security_of(user).password_changed_at or user.date_joined
    return (now or timezone.now()) - changed > dt.timedelta(days=days)


def must_change_password(user: Any) -> bool:
    return security_of(user).must_change_password or password_expired(user)


def change_own_password(user: Any, new_password: str) -> None:
    """The user's own change (the change page): history, date, flag cleared; audited."""
    from django.db import transaction

    from zhenggai.ledger import audit

    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        AccountSecurity.objects.filter(user=user).update(must_change_password=False)
        audit.record("auth.password_change", actor=user, target=user)

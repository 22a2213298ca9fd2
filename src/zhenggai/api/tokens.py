"""Making, revoking and checking API tokens — audited like every other write.

A token is ``zg_`` followed by 43 URL-safe characters (256 random bits). A request presents it
as ``Authorization: Bearer zg_…``; it then acts as the token's account, through the same
``zhenggai.ledger.access`` scope as a signed-in session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from zhenggai.api.models import ApiToken
from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import ValidationError
from zhenggai.ledger.models import User
from zhenggai.security import lockout

PREFIX = "zg_"
LIFETIMES = (30, 90, 180, 365)  # days a new token may live; the owner picks one
# Writing last_used_at on every request would turn each read into a write; once a minute
# is enough to tell a token in use from a forgotten one.
TOUCH_EVERY = dt.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def issue_token(user: User, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the user's own account; returns the record and the token, which is
    never stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        message = _("请填写令牌用途。")
        raise ValidationError(message, {"name": [message]})
    if days not in LIFETIMES:
        message = _("有效期只能选择 30、90、180 或 365 天。")
        raise ValidationError(message, {"days": [message]})
    token = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=token[:10],
            digest=digest(token),
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        audit.record("api.token.issue", actor=user, target=record, after=_public(record))
    return record, token


def revoke_token(user: User, pk: Any) -> ApiToken:
    """Revoke one of the user's own tokens (someone else's: ``NotFound``)."""
    with transaction.atomic():
        record = _own(user, pk)
        if record.revoked_at is not None:
            return record
        before = _public(record)
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit.record(
            "api.token.revoke", actor=user, target=record, before=before, after=_public(record)
        )
    return record


def _own(user: User, pk: Any) -> ApiToken:
    return access.get_one(tokens_of(user).select_for_update(), pk)


def _public(record: ApiToken) -> dict[str, Any]:
    """What the audit trail keeps of a token: never its digest."""
    fields = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at")
    return audit.snapshot(record, fields)


def user_for_token(token: str) -> User | None:
    """The active account an unrevoked, unexpired token belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    record = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
    now = timezone.now()
    if record is None or not record.is_active(now) or not record.user.is_active:
        return None
    if lockout.is_locked(record.user):  # guessing its password locks the tokens too
        return None
    if record.last_used_at is None or now - record.last_used_at > TOUCH_EVERY:
        _touch(record, now)
    return record.user


def _touch(record: ApiToken, now: dt.datetime) -> None:
    """Note the use (at most every ``TOUCH_EVERY``, so the trail shows when a token was in use
    without an event per request)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        audit.record(
            "api.token.use",
            actor=record.user,
            target=record,
            after={"prefix": record.prefix, "last_used_at": now.isoformat()},
        )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zg_…`` for programs; no CSRF token is needed, as no browser
    sends this header by itself."""

    openapi_description = "接口令牌：在“接口令牌”页面创建，请求头 Authorization: Bearer zg_…"

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user

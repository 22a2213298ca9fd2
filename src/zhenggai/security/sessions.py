"""The signed-in user's own sessions, for the account page. Sessions live in the database
and end after ``SESSION_COOKIE_AGE`` idle seconds, so the live ones are few: decoding them
is cheap. Nobody sees another person's sessions here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from zhenggai.security.signals import SESSION_LOGIN


@dataclass(frozen=True)
class OwnSession:
    current: bool
    signed_in_at: dt.datetime | None
    last_active_at: dt.datetime
    ip: str
    agent: str


def sessions_of(user: Any, current_key: str | None) -> list[OwnSession]:
    """The user's live sessions, this one first, then the most recently active."""
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        data = session.get_decoded()
        if str(data.get("_auth_user_id")) != str(user.pk):
            continue
        login = data.get(SESSION_LOGIN) or {}
        rows.append(
            OwnSession(
                current=session.session_key == current_key,
                signed_in_at=_moment(login.get("at")),
                last_active_at=session.expire_date - idle,
                ip=login.get("ip", ""),
                agent=login.get("agent", ""),
            )
        )
    rows.sort(key=lambda s: (not s.current, -s.last_active_at.timestamp()))
    return rows


def _moment(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None

"""At login, note in the session when no login step is pending, so pages need not ask."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from zhenggai.security import middleware, passwords, twofactor


@receiver(user_logged_in, dispatch_uid="zhenggai.security.login_steps")
def note_login_steps(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    pending = (
        twofactor.has_second_factor(user)  # verified after this, never by the password
        or passwords.must_change_password(user)
        or twofactor.requires_second_factor(user)
    )
    if not pending:
        request.session[middleware.COMPLETE] = True


# What the account page shows of each session: when and from where it signed in.
SESSION_LOGIN = "zhenggai_login"
AGENT_LENGTH = 200


@receiver(user_logged_in, dispatch_uid="zhenggai.security.session_login")
def note_session_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_LOGIN] = {
        "at": timezone.now().isoformat(),
        "ip": request.META.get("REMOTE_ADDR", ""),
        "agent": request.META.get("HTTP_USER_AGENT", "")[:AGENT_LENGTH],
    }

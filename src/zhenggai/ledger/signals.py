"""Audit logins, logouts and failed logins (等保: every user event, success or failure)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from zhenggai.ledger import audit
from zhenggai.ledger.models import User


def source(request: Any) -> str:
    """Where the attempt came from (REMOTE_ADDR, set from the trusted proxy), for the detail."""
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return f"address={address}" if address else ""


@receiver(user_logged_in, dispatch_uid="zhenggai.audit.login")
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record("auth.login", actor=user, target=user, detail=source(request))


@receiver(user_logged_out, dispatch_uid="zhenggai.audit.logout")
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            audit.record("auth.logout", actor=user, target=user, detail=source(request))


@receiver(user_login_failed, dispatch_uid="zhenggai.audit.login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The credentials are already cleansed of the password; only the username is kept.
    username = str(credentials.get("username", ""))
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    known = User.objects.filter(**{User.USERNAME_FIELD: username}).exists()
    audit.record_login_failure(username, address, known=known)

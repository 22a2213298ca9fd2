"""Until a signed-in user has passed every login step, no page but those steps.

The steps, in order: the second factor when the account has one; a new password when the
current one was set by someone else or has expired; enrolment of a second factor when the
account must have one. Pages redirect to the step; the API answers 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from zhenggai.security import lockout, passwords, twofactor

# Reachable before the steps are done: the steps themselves, leaving, and what has no login.
OPEN_PREFIXES = ("/accounts/", "/static/", "/public/", "/i18n/", "/admin/logout/")
API_PREFIX = "/api/"
# Set in the session once every step is done: later requests cost no query for the steps.
# A change made meanwhile (an administrator's reset) takes effect at the next login.
COMPLETE = "zhenggai.login_complete"


def pending_step(request: HttpRequest) -> str | None:
    """The URL name of the step the user must take next, or None when logged in fully."""
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return "security_verify"
    if passwords.must_change_password(user):
        return "password_change"
    if twofactor.requires_second_factor(user) and not twofactor.has_second_factor(user):
        return "security_enrol"
    return None


class LoginRequirementsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if hasattr(request, "user") else None
        token = passwords.acting_user.set(user if user and user.is_authenticated else None)
        try:
            refusal = self._refusal(request)
            return refusal or self.get_response(request)
        finally:
            passwords.acting_user.reset(token)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if not request.user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return None
        api = request.path.startswith(API_PREFIX)
        if api and lockout.is_locked(request.user):
            return JsonResponse({"detail": lockout_message_for(request)}, status=403)
        if request.session.get(COMPLETE):
            return None
        step = pending_step(request)
        if step is None:
            request.session[COMPLETE] = True
            return None
        if api:
            return JsonResponse({"detail": _("请先在网页上完成登录验证。")}, status=403)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def lockout_message_for(request: HttpRequest) -> str:
    until = lockout.locked_until(username=request.user.get_username())
    return lockout.lockout_message(until)

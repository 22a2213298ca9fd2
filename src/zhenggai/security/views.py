"""The login steps' pages: change password, enrol a second factor, verify it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zhenggai.security import passwords, twofactor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=20,
        widget=forms.TextInput({"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if safe else "/"


def _private(response: HttpResponse) -> HttpResponse:
    # Keys and recovery codes are on these pages once; no cache may keep a copy.
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.change_own_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect(_next(request))
    context = {
        "form": form,
        "next": _next(request),
        "forced": passwords.must_change_password(request.user),
        "expired": passwords.password_expired(request.user),
        "min_length": settings.ZHENGGAI_PASSWORD_MIN_LENGTH,
    }
    return _private(render(request, "security/password_change.html", context))


@require_http_methods(["GET", "POST"])
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    if twofactor.has_second_factor(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(request, form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "next": _next(request)}
            return _private(render(request, "security/recovery_codes.html", context))
        form.add_error("code", _("验证码不正确，请查看验证器中当前的 6 位数字后重新输入。"))
    device = twofactor.pending_device(request.user)
    context = {
        "form": form,
        "next": _next(request),
        "qr": twofactor.qr_svg(device),
        "key": twofactor.manual_key(device),
    }
    return _private(render(request, "security/enrol.html", context))


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_second_factor(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error("code", _("验证码不正确或已使用，请重新输入。"))
    return render(request, "security/verify.html", {"form": form, "next": _next(request)})

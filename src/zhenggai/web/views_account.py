"""The user's own account: the overview (password, sessions, tokens) and the API tokens: list,
make (shown once), revoke. Everyone signed in may manage their own tokens and nobody else's;
a token acts with its account's scope, no more."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.api import tokens
from zhenggai.ledger.errors import ValidationError
from zhenggai.security import passwords, sessions
from zhenggai.web.views import ledger_view
from zhenggai.web.workflow import message_of


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100)
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(days, _("%(days)s天") % {"days": days}) for days in tokens.LIFETIMES],
        initial=90,
    )


@require_GET
@ledger_view
def account(request: HttpRequest) -> HttpResponse:
    """One's own account: name and roles, the password's age, live sessions, API tokens."""
    user = request.user
    context = {
        "sessions": sessions.sessions_of(user, request.session.session_key),
        "tokens": tokens.tokens_of(user),  # type: ignore[arg-type]
        "password_changed_at": passwords.password_changed_at(user),
    }
    response = render(request, "web/account.html", context)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
@ledger_view
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.issue_token(request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, message_of(exc))
        else:
            form = TokenForm()
    context = {
        "form": form,
        "tokens": tokens.tokens_of(request.user),  # type: ignore[arg-type]
        "created": created,
    }
    response = render(request, "web/api_tokens.html", context)
    # The new token is on this page once; no cache may keep a copy of it.
    add_never_cache_headers(response)
    return response


@require_POST
@ledger_view
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    record = tokens.revoke_token(request.user, pk)  # type: ignore[arg-type]
    messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": record.name})
    # Back to the page the button was on: the account overview or the tokens page.
    if request.POST.get("next") == reverse("web:account"):
        return redirect("web:account")
    return redirect("web:api_tokens")

"""The 公开 screen of an inspection: what would go online now, the versions online before,
and the leader's publish / withdraw buttons (``zhenggai.public.publishing``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import access
from zhenggai.public import publishing
from zhenggai.web.views import ledger_view, refusals_as_messages


@require_GET
@ledger_view
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    versions = list(publishing.publications_for(request.user, inspection))
    _, official = publishing.draft(inspection)
    text = official.as_text()
    latest = versions[0] if versions else None
    context = {
        "inspection": inspection,
        "versions": versions,
        "online": latest if latest is not None and latest.withdrawn_at is None else None,
        "draft_text": text,
        "draft_changed": latest is None or latest.text != text,
        "may_publish": access.may_publish(scope, inspection),
        "may_withdraw": access.may_withdraw_publication(scope, inspection),
    }
    return render(request, "web/publication.html", context)


@require_POST
@ledger_view
def publication_publish(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    with refusals_as_messages(request):
        done = publishing.publish(inspection, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("已公开第%(version)s版。") % {"version": done.version})
    return redirect("web:publication", pk=inspection.pk)


@require_POST
@ledger_view
def publication_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = publishing.get_publication_for(request.user, pk)
    with refusals_as_messages(request):
        reason = request.POST.get("reason", "")
        publishing.withdraw(found, by=request.user, reason=reason)  # type: ignore[arg-type]
        messages.success(request, _("已撤回公开的通报。"))
    return redirect("web:publication", pk=found.inspection_id)

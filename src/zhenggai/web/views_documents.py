"""The 公文版头 screen: the unit's leader or liaison sets what the 版头 of its documents says
(``zhenggai.documents``); everyone else who reads the inspection sees it (403 on saving)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhenggai.documents import actions
from zhenggai.documents.letterhead import letterhead_for, settings_of
from zhenggai.ledger import access
from zhenggai.web import queries
from zhenggai.web.forms_documents import DocumentSettingsForm
from zhenggai.web.views import ledger_view, refusals_as_messages

FIELDS = ("organ_mark", "number_prefix", "number_year", "next_number", "signer")


@require_http_methods(["GET", "POST"])
@ledger_view
def document_settings(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    may_edit = access.may_edit_document_settings(scope, inspection)
    if request.method == "POST":
        access.require(scope, inspection, may_edit)
        form = DocumentSettingsForm(request.POST)
        if form.is_valid():
            with refusals_as_messages(request):
                actions.update_settings(inspection, form.cleaned_data, by=request.user)  # type: ignore[arg-type]
                messages.success(request, _("公文版头已保存。"))
                return redirect("web:document_settings", pk=inspection.pk)
    else:
        row = settings_of(inspection.unit)
        initial = {name: getattr(row, name) for name in FIELDS} if row else {}
        initial.setdefault("number_year", queries.today().year)
        form = DocumentSettingsForm(initial=initial)
    context = {
        "inspection": inspection,
        "form": form if may_edit else None,
        "report_head": letterhead_for(inspection.unit, upward=True),
        "notice_head": letterhead_for(inspection.unit, upward=False),
    }
    return render(request, "web/document_settings.html", context)

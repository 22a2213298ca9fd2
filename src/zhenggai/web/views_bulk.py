"""Bulk work on the measures ticked in the tree or a list (``ledger.bulk``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenggai.ledger import access, bulk
from zhenggai.web.forms_bulk import BulkForm
from zhenggai.web.views import _form_errors, ledger_view, refusals_as_messages

RUN = {
    "assign": lambda ids, by, d: bulk.assign(ids, by=by, owner=d["owner"]),
    "reschedule": lambda ids, by, d: bulk.reschedule(
        ids, by=by, deadline=d["deadline"], reason=d["reason"]
    ),
    "submit": lambda ids, by, d: bulk.submit(ids, by=by),
    "close": lambda ids, by, d: bulk.close_out(ids, by=by, note=d["note"]),
}


@require_POST
@ledger_view
def measures_bulk(request: HttpRequest) -> HttpResponse:
    scope = access.scope_of(request.user)
    form = BulkForm(request.POST, unit_ids=scope.leader_units | scope.liaison_units)
    if not form.is_valid():
        messages.error(request, _("输入有误：") + "；".join(_form_errors(form)))
        return _back(request)
    data = form.cleaned_data
    with refusals_as_messages(request):
        done = RUN[data["operation"]](data["measure"], request.user, data)
        label = _(bulk.OPERATIONS[data["operation"]])
        values = {"operation": label, "n": len(done)}
        messages.success(request, _("已批量%(operation)s：%(n)d 项措施。") % values)
    return _back(request)


def _back(request: HttpRequest) -> HttpResponse:
    """To the page the form was on, filters included; never to another site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("web:inspections")

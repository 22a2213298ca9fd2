"""Screens that move whole ledgers in and out: a notice imported as a new inspection (preview,
then confirm), and the inspection's ledger as an Excel sheet (export, import back)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhenggai.assessment.links import link_repeats
from zhenggai.ledger import access, audit
from zhenggai.ledger.errors import PermissionDenied, ValidationError
from zhenggai.ledger.excel import export_ledger_file, import_ledger
from zhenggai.ledger.importing import ImportPreview, confirm_notice_import, preview_notice_import
from zhenggai.ledger.models import Inspection
from zhenggai.notice import Notice
from zhenggai.web.forms import ImportTargetForm, LedgerUploadForm, NoticeImportForm
from zhenggai.web.notices import NoticeFileError, notice_from_upload
from zhenggai.web.views import ledger_view
from zhenggai.web.workflow import message_of

# The previewed notice waits in the session under this key until it is confirmed.
SESSION_KEY = "notice_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPIRED = "导入内容已过期或已经导入，请重新上传整改通报。"


def _require_importer(user: Any) -> None:
    if not access.may_import_notices(access.scope_of(user)):
        raise PermissionDenied("只有巡察办或巡察组可以导入巡察反馈。")


@require_http_methods(["GET", "POST"])
@ledger_view
def notice_import(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    if request.method != "POST":
        form = NoticeImportForm(user=request.user)
        return render(request, "web/notice_import.html", {"form": form})
    form = NoticeImportForm(request.POST, request.FILES, user=request.user)
    preview = _preview(request, form) if form.is_valid() else None
    if preview is None:
        return render(request, "web/notice_import.html", {"form": form})
    token = _keep(request, preview)
    context = {"preview": preview, "token": token, "tree": preview.notice.aspects}
    return render(request, "web/notice_preview.html", context)


def _preview(request: HttpRequest, form: NoticeImportForm) -> ImportPreview | None:
    """Parse the upload and describe the import; a file we cannot read is a form error."""
    upload = form.cleaned_data["file"]
    try:
        notice = notice_from_upload(upload.read(), upload.name or "")
    except NoticeFileError as exc:
        form.add_error("file", str(exc))
        return None
    targets = {key: form.cleaned_data[key] for key in ("unit", "round", "group")}
    return preview_notice_import(notice, by=request.user, **targets)  # type: ignore[arg-type]


def _keep(request: HttpRequest, preview: ImportPreview) -> str:
    """Keep the parsed notice for the confirmation; the token ties it to the page shown."""
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "notice": preview.notice.to_dict(),
        "unit": preview.unit.pk,
        "round": preview.round.pk,
        "group": preview.group.pk,
    }
    return token


@require_POST
@ledger_view
def notice_import_confirm(request: HttpRequest) -> HttpResponse:
    _require_importer(request.user)
    kept = request.session.get(SESSION_KEY) or {}
    form = ImportTargetForm(kept, user=request.user)
    if kept.get("token") != request.POST.get("token") or not form.is_valid():
        messages.error(request, EXPIRED)
        return redirect("web:notice_import")
    try:
        notice = Notice.from_dict(kept["notice"])
        confirmed = request.POST.get("issuer_confirmed") == "1"
        inspection = confirm_notice_import(
            notice,
            by=request.user,  # type: ignore[arg-type]
            issuer_confirmed=confirmed,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        messages.error(request, message_of(exc))
        return redirect("web:notice_import")
    del request.session[SESSION_KEY]
    messages.success(request, f"已导入整改通报：{inspection.unit} · {inspection.round}。")
    _link_repeats(request, inspection)
    return redirect("web:inspection", pk=inspection.pk)


def _link_repeats(request: HttpRequest, inspection: Inspection) -> None:
    """回头看: match the new problems to the unit's earlier ones. After the import's own
    transaction, so that a failure here leaves the import standing."""
    found = link_repeats(inspection, by=request.user)  # type: ignore[arg-type]
    if found:
        messages.info(request, f"回头看：发现 {len(found)} 处与往轮巡察相似的问题，待巡察办认定。")


@require_GET
@ledger_view
def ledger_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The ledger as .xlsx, written to a temporary file and streamed from it (a ledger of
    100,000 measures never sits in memory); the file is deleted when the response closes."""
    inspection = access.get_inspection_for(request.user, pk)
    file = export_ledger_file(inspection, by=request.user)  # type: ignore[arg-type]
    filename = f"整改台账-{inspection.unit}.xlsx"
    audit.record_read("export.ledger", actor=request.user, target=inspection, file_format="xlsx")
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


@require_http_methods(["GET", "POST"])
@ledger_view
def ledger_import(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, inspection, access.may_import_ledger(scope, inspection))
    posted = request.method == "POST"
    form = LedgerUploadForm(request.POST, request.FILES) if posted else LedgerUploadForm()
    errors: list[str] = []
    if posted and form.is_valid():
        # The upload as a file: read in place, never copied whole into memory.
        result = import_ledger(inspection, form.cleaned_data["file"], by=request.user)  # type: ignore[arg-type]
        if result.ok:
            changed, same = len(result.changed), result.unchanged
            messages.success(request, f"台账已导入：修改 {changed} 项整改措施，{same} 项未变。")
            return redirect("web:inspection", pk=inspection.pk)
        errors = result.messages()
    context = {"inspection": inspection, "form": form, "errors": errors}
    return render(request, "web/ledger_import.html", context)

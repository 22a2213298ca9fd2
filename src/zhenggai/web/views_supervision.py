"""Screens of supervision: the reminder bell, the office's escalation (督办单, 约谈) and the
documents a unit owes (the same files as ``zhenggai report``).

Who may download what (``test_access_matrix`` writes it out per persona):

- the public 整改情况通报: everyone who may read the inspection (it leaves out confidential
  problems);
- the 整改情况报告, the 主要负责人报告 and the DA/T 22 归档文件目录: the unit's leader and
  liaison, and the inspection office, the group and the observers. They cover every problem,
  confidential ones included, so a measure's owner (who sees only the ledger) is refused;
- a 督办单: everyone who may read its measure (the unit receives it, the office issued it).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhenggai.ledger import access, audit
from zhenggai.ledger.models import Inspection, Measure
from zhenggai.reports import documents
from zhenggai.reports.archive import catalogue_entries, write_catalogue
from zhenggai.supervision import escalation, reminders
from zhenggai.web import queries
from zhenggai.web.forms_supervision import (
    InterviewForm,
    OrderReplyForm,
    OrderReviewForm,
    SupervisionOrderForm,
)
from zhenggai.web.views import ledger_view, refusals_as_messages

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REMINDER_LIST_LIMIT = 200
ORDER_LIST_LIMIT = 200


# --- reminders -----------------------------------------------------------------------------


@require_GET
@ledger_view
def reminder_list(request: HttpRequest) -> HttpResponse:
    """The user's reminders, unread first, each in the words of the e-mail."""
    unread_first = F("read_at").asc(nulls_first=True)
    rows = reminders.reminders_for(request.user).order_by(unread_first, "-sent_at", "-id")
    items = [(r, reminders.describe(r)) for r in rows[:REMINDER_LIST_LIMIT]]
    return render(request, "web/reminders.html", {"items": items})


@require_POST
@ledger_view
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminders.mark_read(request.user, pk)
    return redirect("web:reminders")


@require_POST
@ledger_view
def reminders_read_all(request: HttpRequest) -> HttpResponse:
    count = reminders.mark_all_read(request.user)
    messages.success(request, _("已将%(count)s条提醒标为已读。") % {"count": count})
    return redirect("web:reminders")


# --- escalation ----------------------------------------------------------------------------


def _office_measure(request: HttpRequest, pk: int) -> Measure:
    """The measure, if the user is the office that may escalate it (404 / 403 otherwise),
    checked before the form so a refusal never depends on what was typed."""
    measure = access.get_measure_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, measure.inspection, access.may_decide(scope, measure))
    return measure


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        messages.error(request, "；".join(str(e) for e in errors))


@require_POST
@ledger_view
def order_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """下发督办单 on an overdue measure (the office of the inspection's region)."""
    measure = _office_measure(request, pk)
    form = SupervisionOrderForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("web:measure", pk=measure.pk)
    with refusals_as_messages(request):
        order = escalation.issue_supervision_order(measure, by=request.user, **form.cleaned_data)
        messages.success(request, _("已下发督办单 %(number)s。") % {"number": order.number})
    return redirect("web:measure", pk=measure.pk)


@require_POST
@ledger_view
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    """记录约谈 about a measure (linked to its latest 督办单)."""
    measure = _office_measure(request, pk)
    form = InterviewForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("web:measure", pk=measure.pk)
    with refusals_as_messages(request):
        escalation.record_interview(measure, by=request.user, **form.cleaned_data)
        messages.success(request, _("已记录约谈。"))
    return redirect("web:measure", pk=measure.pk)


@require_POST
@ledger_view
def order_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """回复督办单: the unit's leader or liaison answers, with evidence."""
    order = escalation.get_order_for(request.user, pk)
    scope = access.scope_of(request.user)
    measure = order.measure
    access.require(scope, measure.inspection, access.may_answer_order(scope, measure))
    form = OrderReplyForm(request.POST, request.FILES, measure=measure)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("web:measure", pk=measure.pk)
    data = form.cleaned_data
    with refusals_as_messages(request):
        files = [data["file"]] if data.get("file") else []
        escalation.answer_order(
            order, by=request.user, text=data["text"], evidence=list(data["evidence"]), files=files
        )  # type: ignore[arg-type]
        messages.success(request, _("已回复督办单 %(number)s。") % {"number": order.number})
    return redirect("web:measure", pk=measure.pk)


@require_POST
@ledger_view
def order_review(request: HttpRequest, pk: int, outcome: str) -> HttpResponse:
    """办结 (close) or 退回 (return) an answered 督办单: the office."""
    order = escalation.get_order_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, order.measure.inspection, access.may_review_order(scope, order.measure))
    form = OrderReviewForm(request.POST)
    form.is_valid()  # the note is optional; a return's reason is required by the action
    note = form.cleaned_data.get("note", "")
    with refusals_as_messages(request):
        if outcome == "close":
            escalation.close_order(order, by=request.user, note=note)  # type: ignore[arg-type]
            messages.success(request, _("督办单 %(number)s 已办结。") % {"number": order.number})
        else:
            escalation.return_order(order, by=request.user, reason=note)  # type: ignore[arg-type]
            messages.success(
                request, _("督办单 %(number)s 已退回重报。") % {"number": order.number}
            )
    return redirect("web:measure", pk=order.measure_id)


@require_GET
@ledger_view
def order_list(request: HttpRequest) -> HttpResponse:
    """The 督办单 the user may read: the office's issued, the unit's received."""
    orders = escalation.orders_for(request.user).order_by("-issued_at", "-id")
    orders = orders.prefetch_related("replies")  # the latest answer of each, one query
    context = {"orders": list(orders[:ORDER_LIST_LIMIT])}
    return render(request, "web/supervision_orders.html", context)


@require_GET
@ledger_view
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One 督办单 as a page, laid out as the paper form: printed, it is signed for."""
    order = escalation.get_order_for(request.user, pk)
    sheet = documents.sheet_for_order(order)
    replies = order.replies.select_related("replied_by").order_by("replied_at", "id")
    context = {"order": order, "sheet": sheet, "replies": list(replies)}
    return render(request, "web/supervision_order.html", context)


@require_GET
@ledger_view
def order_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 督办单 as a GB/T 9704 .docx: what the office recorded when it issued it."""
    order = escalation.get_order_for(request.user, pk)
    doc = documents.supervision_document([documents.sheet_for_order(order)])
    response = _attachment(doc.save, f"督办单{order.number}.docx", DOCX)
    audit.record_read(
        "download.supervision_order", actor=request.user, target=order, file_format="docx"
    )
    return response


# --- documents of an inspection ------------------------------------------------------------


def _reportable(request: HttpRequest, pk: int) -> Inspection:
    inspection = access.get_inspection_for(request.user, pk)
    scope = access.scope_of(request.user)
    access.require(scope, inspection, access.may_download_reports(scope, inspection))
    return inspection


def _attachment(save: Callable[[Any], None], filename: str, content_type: str) -> FileResponse:
    """The file as a download; Django writes the Chinese name as RFC 5987 ``filename*``."""
    buffer = io.BytesIO()
    save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=content_type)


def _name(title: str, inspection: Inspection, suffix: str) -> str:
    return f"{inspection.unit.name}{title}{suffix}"


@require_GET
@ledger_view
def notice_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The public 整改情况通报: anyone who may read the inspection."""
    inspection = access.get_inspection_for(request.user, pk)
    doc = documents.notice_document_for(inspection, day=queries.today())
    response = _attachment(doc.save, _name("整改情况通报", inspection, ".docx"), DOCX)
    audit.record_read("download.notice", actor=request.user, target=inspection, file_format="docx")
    return response


@require_GET
@ledger_view
def report_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 整改情况报告 to the office (``may_download_reports``)."""
    inspection = _reportable(request, pk)
    today = queries.today()
    doc = documents.report_document(inspection, today=today, day=today)
    response = _attachment(doc.save, _name("整改情况报告", inspection, ".docx"), DOCX)
    audit.record_read("download.report", actor=request.user, target=inspection, file_format="docx")
    return response


@require_GET
@ledger_view
def leader_report_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The 主要负责人组织落实整改情况报告 (``may_download_reports``); the head's name is left
    to fill in by hand."""
    inspection = _reportable(request, pk)
    today = queries.today()
    doc = documents.leader_report_document(inspection, today=today, day=today)
    title = "主要负责人组织落实整改情况报告"
    response = _attachment(doc.save, _name(title, inspection, ".docx"), DOCX)
    audit.record_read(
        "download.leader_report", actor=request.user, target=inspection, file_format="docx"
    )
    return response


@require_GET
@ledger_view
def archive_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """The DA/T 22 归档文件目录 of the evidence (``may_download_reports``), with the default
    codes of ``zhenggai report archive``."""
    inspection = _reportable(request, pk)
    year = (inspection.feedback_date or queries.today()).year
    heading = f"{inspection.unit.name}巡察整改归档文件目录"

    def save(buffer: Any) -> None:
        entries = catalogue_entries(inspection)
        write_catalogue(entries, buffer, heading=heading, default_year=year)

    response = _attachment(save, _name("归档文件目录", inspection, ".xlsx"), XLSX)
    audit.record_read(
        "export.archive_catalogue", actor=request.user, target=inspection, file_format="xlsx"
    )
    return response

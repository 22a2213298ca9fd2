"""The dashboard (工作台) and its Excel export: the same figures, for the same filters."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhenggai.ledger import access, audit
from zhenggai.opinions import reads as opinion_reads
from zhenggai.web import charts, queries
from zhenggai.web.views import ledger_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _board(request: HttpRequest) -> charts.Dashboard:
    filters = charts.Filters.from_query(request.GET)
    return charts.dashboard(request.user, filters, queries.today())


@require_GET
@ledger_view
def dashboard(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    context = {
        "board": board,
        "chart_data": board.chart_data(),
        "statuses": charts.statuses(),
        "by_status": board.by_status,
        "lights": board.lights,
        "today": board.today,
        "yellow_days": settings.ZHENGGAI_YELLOW_DAYS,
        "pending_extensions": queries.pending_extensions(request.user),
        "statutory_due": queries.statutory_due(request.user, board.today),
        "may_import": access.may_import_notices(access.scope_of(request.user)),
        # 群众监督意见 open / overdue / answered by unit, over the opinions the user reads.
        "opinion_counts": opinion_reads.counts_by_unit(
            access.opinions_for(request.user), board.today
        ),
    }
    return render(request, "web/dashboard.html", context)


@require_GET
@ledger_view
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    response = HttpResponse(charts.workbook(board), content_type=XLSX)
    filename = _("工作台统计-%(day)s.xlsx") % {"day": board.today.isoformat()}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    audit.record_read("export.dashboard", actor=request.user, file_format="xlsx")
    return response

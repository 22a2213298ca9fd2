"""群众监督意见 in the documents: a sheet of the Excel ledger, the rows of the 整改情况报告.

Every text is written as a string (``write_string``), and text a spreadsheet would take for a
formula carries Excel's quote prefix, as in the ledger sheet: ``=HYPERLINK(…)`` from the
public reaches the reader as those characters. Callers pass opinions already scoped.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhenggai.opinions.models import Opinion
from zhenggai.xlsxtext import looks_like_formula

SHEET = "群众监督意见"
HEADERS = (
    ("编号", 8),
    ("收到日期", 12),
    ("来源渠道", 10),
    ("意见内容", 50),
    ("对应问题", 36),
    ("状态", 12),
    ("答复时限", 12),
    ("答复", 50),
    ("答复日期", 12),
)


def _date(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return str(value.isoformat())


def rows(opinions: QuerySet[Opinion]) -> list[list[str]]:
    out = []
    for o in opinions.select_related("problem").order_by("received_at", "id"):
        problem = (
            o.problem.title
            if o.problem
            else (o.scope_reason and "不属于整改范围：" + o.scope_reason)
        )
        out.append(
            [
                str(o.pk),
                _date(o.received_at),
                str(o.get_channel_display()),
                o.text,
                problem or "",
                str(o.get_status_display()),
                _date(o.due),
                o.answer,
                _date(o.answered_at),
            ]
        )
    return out


def write_sheet(book: Any, opinions: QuerySet[Opinion]) -> int:
    """Add the sheet to an xlsxwriter workbook when there are opinions; the number of rows."""
    lines = rows(opinions)
    if not lines:
        return 0
    sheet = book.add_worksheet(SHEET)
    header = book.add_format({"bold": True, "border": 1, "text_wrap": True})
    plain = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    quoted = book.add_format(
        {"border": 1, "text_wrap": True, "valign": "top", "quote_prefix": True}
    )
    for col, (title, width) in enumerate(HEADERS):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header)
    for row, line in enumerate(lines, start=1):
        for col, text in enumerate(line):
            sheet.write_string(row, col, text, quoted if looks_like_formula(text) else plain)
    sheet.freeze_panes(1, 0)
    return len(lines)

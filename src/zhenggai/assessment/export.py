"""Files for the look-back and the effectiveness sheet: .xlsx (xlsxwriter) and .docx.

Plain on purpose: a heading, one table, the total and the grade — documents the office edits
further, not the formal GB/T 9704 output of ``zhenggai.reports``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document

from zhenggai.assessment.models import Assessment
from zhenggai.assessment.status import PriorRow
from zhenggai.ledger.models import Inspection
from zhenggai.review.effectiveness import GRADE_LABELS
from zhenggai.xlsxtext import workbook as text_workbook

STATUS_HEADERS = (
    "序号",
    "上轮问题",
    "整改状态",
    "原因",
    "首次发现轮次",
    "首次发现时间",
    "本轮重复问题",
)
SHEET_HEADERS = ("评估方面", "编号", "指标", "分值", "得分", "评分依据")


def _xlsx(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], footer: Sequence[str] = ()
) -> bytes:
    out = io.BytesIO()
    book = text_workbook(out, in_memory=True)
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "top"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_row(2, 0, headers, bold)
    for r, row in enumerate(rows, 3):
        sheet.write_row(r, 0, ["" if v is None else v for v in row], cell)
    for r, line in enumerate(footer, len(rows) + 4):
        sheet.write(r, 0, line, book.add_format({"bold": True}))
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, len(headers) - 1, 24)
    book.close()
    return out.getvalue()


def _recurrence_text(row: PriorRow) -> str:
    return "；".join(
        f"{r.title}（相似度{r.score:.2f}{'' if r.confirmed else '，待确认'}）"
        for r in row.recurrences
    )


def prior_status_xlsx(inspection: Inspection, rows: Sequence[PriorRow]) -> bytes:
    """上轮问题整改状态表 of a look-back, one row per earlier problem."""
    body = [
        (
            r.number,
            r.title,
            r.status_label,
            r.reason,
            r.first_round,
            r.first_date.isoformat(),
            _recurrence_text(r),
        )
        for r in rows
    ]
    return _xlsx(f"{inspection.unit}上轮问题整改状态表", STATUS_HEADERS, body)


def _sheet_rows(sheet: Assessment) -> list[tuple[Any, ...]]:
    return [
        (
            s.indicator.area,
            s.indicator.code,
            s.indicator.name,
            float(s.indicator.points),
            "待填报" if s.points is None else float(s.points),
            s.basis,
        )
        for s in sheet.scores.select_related("indicator")
    ]


def _summary(sheet: Assessment) -> list[str]:
    lines = [f"总分：{sheet.total}", f"等次：{GRADE_LABELS.get(sheet.grade, '')}"]
    if not sheet.complete:
        lines.append("注：尚有人工指标未填报，总分未含其分值。")
    return lines


def assessment_xlsx(sheet: Assessment) -> bytes:
    title = f"{sheet.inspection.unit}巡察整改评估表"
    return _xlsx(title, SHEET_HEADERS, _sheet_rows(sheet), _summary(sheet))


def assessment_docx(sheet: Assessment) -> bytes:
    document = Document()
    document.add_heading(f"{sheet.inspection.unit}巡察整改评估表", level=1)
    document.add_paragraph(f"{sheet.inspection.round} · 评估时间 {sheet.assessed_at:%Y年%m月%d日}")
    rows = _sheet_rows(sheet)
    table = document.add_table(rows=1, cols=len(SHEET_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, SHEET_HEADERS, strict=True):
        cell.text = header
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    for line in _summary(sheet):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

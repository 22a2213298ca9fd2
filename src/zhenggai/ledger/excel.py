"""The ledger (台账) as an Excel sheet: export it, edit it in Excel, import it back.

The sheet has a title in row 1 (unit, inspection, date of export and what the colours mean),
the header in row 2 and one row per measure from row 3, in the usual 台账 columns A–M (序号 …
销号情况), followed by two hidden columns: N 措施编号 (the measure's id) and O 版本 (its version
when exported).

The export is written with xlsxwriter in constant-memory mode, strictly row by row, from the
measures read in chunks, into a temporary file: a ledger of 100,000 measures takes the same
memory as one of 10,000 (``benchmarks/bench_ledger.py``). Each row is filled with the
measure's light on the day of export (the one rule of ``zhenggai.supervision.deadlines``, as
on the screens): green 正常, yellow 临期, red 逾期. 完成时限 is a real Excel date; 整改类型
and 完成情况 offer drop-down lists (the kinds; the statuses' labels). 完成情况 is the status
only, and the completion date a unit recorded appears in 销号情况.

How an imported row finds its measure:
  1. by 措施编号 (hidden column N), which must name a measure of this inspection;
  2. if that cell is empty (the row was typed or pasted without it), by 序号 ``方面.问题.措施``
     (e.g. ``2.1.3``);
  then 方面 and 具体问题 must still read as they do in the ledger — a row moved under another
  problem is reported, not silently re-filed. Rows cannot add or delete measures.

What an import may change: 整改措施, 责任领导, 责任部门, 责任人, 完成时限, 整改类型, 整改进展
(through ``actions.update_measure``, which checks the rules: a set deadline moves only by an
approved extension, only editable measures change, …). 完成情况, 佐证材料 and 销号情况 come from
the workflow and are ignored on import (the status moves only by submitting, verifying and
closing out in the system). 版本 is the optimistic lock: a row whose measure was saved by
someone else after the export is reported as a conflict.

Every cell is checked first and every bad one reported (``第5行 H列（完成时限）：…``); then the
changes are applied in one transaction, and if any action refuses a row, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

import xlsxwriter
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from zhenggai.ledger import access, actions, audit, uploads
from zhenggai.ledger.errors import ConflictError, LedgerError, ValidationError
from zhenggai.ledger.models import (
    Decision,
    DecisionKind,
    Evidence,
    Inspection,
    Measure,
    MeasureKind,
    MeasureStatus,
    User,
)
from zhenggai.notice import zipguard
from zhenggai.opinions import export as opinion_export
from zhenggai.opinions.models import Opinion
from zhenggai.supervision.deadlines import GREEN, RED, YELLOW, Rules, light

log = logging.getLogger(__name__)

# (header, measure field or None for a read-only column, column width)
COLUMNS: tuple[tuple[str, str | None, int], ...] = (
    ("序号", None, 8),
    ("方面", None, 24),
    ("具体问题", None, 30),
    ("整改措施", "content", 50),
    ("责任领导", "responsible_leader", 12),
    ("责任部门", "responsible_department", 16),
    ("责任人", "responsible_person", 12),
    ("完成时限", "deadline", 13),
    ("整改类型", "kind", 11),
    ("整改进展", "progress", 40),
    ("完成情况", None, 16),
    ("佐证材料", None, 30),
    ("销号情况", None, 24),
    ("措施编号", None, 10),
    ("版本", None, 6),
)
HEADERS = tuple(header for header, _, _ in COLUMNS)
COL = {header: index for index, header in enumerate(HEADERS)}
HIDDEN = ("措施编号", "版本")
HEADER_ROW = 2
FIRST_ROW = 3
CONFIDENTIAL_MARK = "【不予公开】"
MAX_ERRORS = 200  # enough to fix a sheet; beyond that the sheet is not a ledger export

KIND_LABELS = {str(label): value for value, label in MeasureKind.choices}
KIND_LABELS["未确定"] = ""
KIND_LABELS[""] = ""  # a blank cell: not decided yet (how the export writes it)
KIND_NAMES = {value: label for label, value in KIND_LABELS.items() if value}

DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


@dataclass(frozen=True)
class CellError:
    row: int  # the sheet's row number; 0 for the file as a whole
    column: str  # the column's header, e.g. 完成时限; "" for the row as a whole
    message: str

    @property
    def letter(self) -> str:
        return get_column_letter(COL[self.column] + 1) if self.column in COL else ""

    def __str__(self) -> str:
        if not self.row:
            return self.message
        where = f" {self.letter}列（{self.column}）" if self.letter else ""
        return f"第{self.row}行{where}：{self.message}"


@dataclass
class ImportResult:
    """What an import did: ``errors`` empty means every change in ``changed`` was written."""

    errors: list[CellError] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)  # ids of the measures updated
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self) -> list[str]:
        return [str(error) for error in self.errors]


# --- export --------------------------------------------------------------------------------

CHUNK_SIZE = 2000  # measures read (and their evidence and decisions prefetched) at a time
STATUS_LABELS = {value: str(label) for value, label in MeasureStatus.choices}
DECISION_LABELS = {value: str(label) for value, label in DecisionKind.choices}
CLOSE_OUT_KINDS = (DecisionKind.CLOSE_OUT, DecisionKind.VERIFY)
CLOSED_STATUSES = (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE)
# Light fills: the pale tints of the screens' lights, so that the text stays readable.
LIGHT_FILLS = {GREEN: "#E2EFDA", YELLOW: "#FFF2CC", RED: "#FFC7CE"}
LIGHT_LEGEND = "底色：绿色正常，黄色临期（{days}日内到期或进度滞后），红色逾期"
CONFIDENTIAL_COLOUR = "#C00000"
XLSX_OPTIONS = {
    "constant_memory": True,  # each row goes to disk when the next one starts
    "in_memory": False,
    "strings_to_formulas": False,  # a measure that begins with "=" is text, not a formula
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def export_ledger(inspection: Inspection, *, by: User, today: dt.date | None = None) -> bytes:
    """The inspection's ledger as .xlsx bytes, with the measures ``by`` may read.

    For small ledgers and tests; the web and the CLI write a file (``export_ledger_file``)."""
    with export_ledger_file(inspection, by=by, today=today) as file:
        return file.read()


def export_ledger_file(
    inspection: Inspection, *, by: User, today: dt.date | None = None
) -> IO[bytes]:
    """The ledger written to an anonymous temporary file, open and rewound for reading; the
    file disappears when it is closed. Raises ``NotFound`` if ``by`` may not read it."""
    current = access.get_inspection_for(by, inspection.pk)
    # Returned open: the caller streams it and closes it (FileResponse does).
    file = tempfile.TemporaryFile(prefix="zhenggai-ledger-", suffix=".xlsx")  # noqa: SIM115
    try:
        opinions = access.opinions_for(by)  # none for a reader who may not read them
        write_ledger(file, current, access.measures_for(by), today=today, opinions=opinions)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    return file


def write_ledger(
    out: str | IO[bytes],
    inspection: Inspection,
    measures: QuerySet[Measure],
    *,
    today: dt.date | None = None,
    opinions: QuerySet[Opinion] | None = None,
) -> int:
    """Write the ledger of ``inspection`` to ``out`` (a path, or a binary file open for
    writing and seeking) and return the number of measure rows.

    ``measures`` are the measures the reader may see (``access.measures_for(user)``); only
    those of ``inspection`` are written. ``today`` (default: the local date) decides the
    lights and is printed as the date of export. ``opinions`` (scoped to the reader) add a
    sheet 群众监督意见 when the inspection has any."""
    today = today or timezone.localdate()
    rows = _ledger_rows(measures, inspection)
    with xlsxwriter.Workbook(out, XLSX_OPTIONS) as book:
        sheet = book.add_worksheet("整改台账", worksheet_class=_LedgerSheet)
        formats = _Formats(book)
        rules = Rules.from_settings()
        _write_top(sheet, formats, _title(inspection, today, rules))
        start = inspection.feedback_date
        row = FIRST_ROW - 1  # xlsxwriter counts rows and columns from 0
        for line in rows:
            status, deadline = line.values.status, line.values.deadline
            colour = light(status, deadline, today, start=start, rules=rules)
            _write_row(sheet, row, line, formats.row[colour])
            row += 1
        _write_bottom(sheet, last_row=max(row - 1, FIRST_ROW - 1))
        if opinions is not None:
            opinion_export.write_sheet(book, opinions.filter(inspection=inspection))
    return row - (FIRST_ROW - 1)


# What a row shows, read with ``values_list`` (no model instances: 100,000 rows stay cheap).
ROW_FIELDS = (
    "id",
    "no",
    "content",
    "responsible_leader",
    "responsible_department",
    "responsible_person",
    "deadline",
    "kind",
    "progress",
    "status",
    "completed_date",
    "version",
    "problem__no",
    "problem__title",
    "problem__confidential",
    "problem__aspect__no",
    "problem__aspect__title",
)


@dataclass(frozen=True)
class LedgerRow:
    """One measure as the sheet shows it."""

    values: Any  # the ``ROW_FIELDS`` of the measure, by name
    evidence: str  # 佐证材料
    close_out: str  # 销号情况


def _ledger_rows(measures: QuerySet[Measure], inspection: Inspection) -> Iterator[LedgerRow]:
    """``measures`` of the inspection in ledger order, read ``CHUNK_SIZE`` at a time; each
    chunk's evidence and close-out decisions are read with it (two more queries, limited to
    the chunk's measures, so to what the reader may see). Never a list of all rows."""
    queryset = (
        measures.filter(inspection=inspection)
        .order_by("problem__aspect__no", "problem__no", "no")
        .values_list(*ROW_FIELDS, named=True)
    )
    rows = queryset.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        evidence = _evidence_texts([row.id for row in chunk])
        closed = [row.id for row in chunk if row.status in CLOSED_STATUSES]
        decisions = _close_out_decisions(closed)
        for row in chunk:
            close_out = _close_out_text(row.status, row.completed_date, decisions.get(row.id))
            yield LedgerRow(row, evidence.get(row.id, ""), close_out)


def _evidence_texts(measure_ids: list[int]) -> dict[int, str]:
    """佐证材料 per measure: ``文号 《题名》`` (or the file's name), one a line, in upload order."""
    found = (
        Evidence.objects.filter(measure_id__in=measure_ids)
        .order_by("measure_id", "uploaded_at", "id")
        .values_list("measure_id", "doc_number", "title", "original_name")
    )
    lines: dict[int, list[str]] = {}
    for measure_id, doc_number, title, original_name in found:
        parts = [doc_number, f"《{title}》" if title else ""]
        lines.setdefault(measure_id, []).append(" ".join(p for p in parts if p) or original_name)
    return {measure_id: "\n".join(texts) for measure_id, texts in lines.items()}


def _close_out_decisions(measure_ids: list[int]) -> dict[int, tuple[str, str, dt.datetime]]:
    """The latest 验收/销号 decision per measure: (kind, actor's username, when)."""
    if not measure_ids:
        return {}
    found = (
        Decision.objects.filter(measure_id__in=measure_ids, kind__in=CLOSE_OUT_KINDS)
        .order_by("measure_id", "at", "id")
        .values_list("measure_id", "kind", "actor__username", "at")
    )
    return {measure_id: (kind, actor, at) for measure_id, kind, actor, at in found}


_LETTERS = [xl_col_to_name(col) for col in range(26)]  # A … Z: a row's cell references
# Text that xlsxwriter's own cell writer must handle: XML escapes, control characters and
# its _xHHHH_ escapes, rich strings (<r>…), whitespace to preserve at either end.
_CARE_CHARACTERS = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")


def _plain(text: str) -> bool:
    """Text xlsxwriter would write as it is: nothing to escape, no whitespace to preserve at
    either end, short enough never to be truncated (a character-class scan and a few string
    tests: cheaper than one regex with anchors on every cell)."""
    return not (
        _CARE_CHARACTERS.search(text)
        or "_x" in text
        or text[:1].isspace()
        or text[-1:].isspace()
        or len(text) >= 16384
    )


Cell = tuple[str | int | dt.date | None, Any]  # a value and its xlsxwriter Format
# The quick row writer leans on these xlsxwriter internals (3.x). Should a release rename
# one, every row takes xlsxwriter's own (slower) write methods instead of failing.
_INTERNALS = ("_write_single_row", "_check_dimensions", "_write_row", "_xml_end_tag")
_QUICK_ROWS = all(callable(getattr(Worksheet, name, None)) for name in _INTERNALS)


class _LedgerSheet(Worksheet):
    """xlsxwriter's worksheet, with one quicker method for a whole row of plain cells.

    In constant-memory mode xlsxwriter stores each cell, then turns the finished row into XML
    cell by cell; for 100,000 rows × 15 cells that general path was most of the export's time.
    ``write_plain_row`` writes the same XML for a row of formatted text, numbers, dates and
    blanks in one go, with xlsxwriter's own row flushing and bookkeeping around it, and hands
    any row it cannot (text needing escapes, no format, rows out of order, …) to xlsxwriter's
    write methods. ``tests/ledger/test_excel.py`` checks that the sheet is byte for byte what
    xlsxwriter itself writes, so a change inside xlsxwriter shows up there, not in users' files.
    """

    def write_plain_row(self, row: int, cells: list[Cell]) -> None:
        xml = self._row_xml(row, cells) if self._in_order(row, cells) else None
        if xml is None:
            for col, (value, cell_format) in enumerate(cells):
                self._write_one(row, col, value, cell_format)
            return
        self._write_single_row(row)  # the row before goes out, as any write here would do
        self._check_dimensions(row, 0)
        self._check_dimensions(row, len(cells) - 1)
        self._write_row(row, None)
        self.fh.write(xml)
        self._xml_end_tag("row")

    def _in_order(self, row: int, cells: list[Cell]) -> bool:
        return (
            _QUICK_ROWS
            and getattr(self, "constant_memory", False)
            and self.previous_row < row < self.xls_rowmax
            and row not in self.row_info
            and row not in self.comments
            and 0 < len(cells) <= len(_LETTERS)
        )

    def _row_xml(self, row: int, cells: list[Cell]) -> str | None:
        """The cells as xlsxwriter writes them, or None if one needs xlsxwriter's care."""
        number = row + 1
        parts = []
        for col, (value, cell_format) in enumerate(cells):
            if cell_format is None:
                return None
            where = f'r="{_LETTERS[col]}{number}" s="{cell_format._get_xf_index()}"'
            if isinstance(value, str):
                if not _plain(value):
                    return None
                parts.append(f'<c {where} t="inlineStr"><is><t>{value}</t></is></c>')
            elif value is None:
                parts.append(f"<c {where}/>")
            elif isinstance(value, dt.date):
                parts.append(f"<c {where}><v>{self._convert_date_time(value):.16G}</v></c>")
            else:
                parts.append(f"<c {where}><v>{value:.16G}</v></c>")
        return "".join(parts)

    def _write_one(self, row: int, col: int, value: Any, cell_format: Any) -> None:
        if isinstance(value, str):
            self.write_string(row, col, value, cell_format)
        elif value is None:
            self.write_blank(row, col, None, cell_format)
        elif isinstance(value, dt.date):
            self.write_datetime(row, col, value, cell_format)
        else:
            self.write_number(row, col, value, cell_format)


class _Formats:
    """The workbook's formats, made once (a format per cell would grow with the rows)."""

    def __init__(self, book: Any) -> None:
        self.title = book.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        )
        self.title.set_text_wrap()
        self.title.set_quote_prefix()  # a unit named "=…" stays text (see formula_like)
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "border": 1,
            }
        )
        self.row = {colour: self._row(book, fill) for colour, fill in LIGHT_FILLS.items()}

    @staticmethod
    def _row(book: Any, fill: str) -> dict[str, Any]:
        cell = {"valign": "top", "text_wrap": True, "bg_color": fill}
        cell |= {"border": 1, "border_color": "#BFBFBF"}
        confidential = cell | {"font_color": CONFIDENTIAL_COLOUR}
        return {
            "text": book.add_format(cell),
            "date": book.add_format(cell | {"num_format": "yyyy-mm-dd"}),
            "confidential": book.add_format(confidential),
            # The same, for text that looks like a formula (formula_like).
            "text quoted": book.add_format(cell | {"quote_prefix": True}),
            "confidential quoted": book.add_format(confidential | {"quote_prefix": True}),
        }


# What Excel (and WPS) would take for the start of a formula when the cell is edited.
FORMULA_STARTS = ("=", "+", "-", "@")


def formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula (formula injection, e.g. ``=HYPERLINK(…)``).

    Every text cell is already written as a string, never a formula (``XLSX_OPTIONS``), but
    a user who edits such a cell and presses Enter would turn it into one; a cell format
    with Excel's quote prefix (the hidden ``'``) keeps it text without changing its value,
    so an import reads back exactly what was exported."""
    return text.startswith(FORMULA_STARTS)


def _text_cell(text: str, formats: dict[str, Any], kind: str = "text") -> Cell:
    return (text, formats[f"{kind} quoted" if formula_like(text) else kind])


def _title(inspection: Inspection, today: dt.date, rules: Rules) -> str:
    heading = f"{inspection.unit.name}巡察整改台账（{inspection.round}，{inspection.group}）"
    exported = f"导出日期：{today.year}年{today.month}月{today.day}日"
    return f"{heading}\n{exported}　{LIGHT_LEGEND.format(days=rules.yellow_days)}"


def _write_top(sheet: Any, formats: _Formats, title: str) -> None:
    """Columns, the merged title row, the bold header row frozen with 序号…具体问题, printing."""
    for index, (header, _, width) in enumerate(COLUMNS):
        sheet.set_column(index, index, width, None, {"hidden": header in HIDDEN})
    last_visible = COL["销号情况"]
    sheet.set_row(0, 42)
    sheet.merge_range(0, 0, 0, last_visible, title, formats.title)
    sheet.set_row(HEADER_ROW - 1, 28)
    for index, header in enumerate(HEADERS):
        sheet.write_string(HEADER_ROW - 1, index, header, formats.header)
    sheet.freeze_panes(FIRST_ROW - 1, COL["整改措施"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    sheet.repeat_rows(HEADER_ROW - 1)


def _write_row(sheet: _LedgerSheet, row: int, line: LedgerRow, formats: dict[str, Any]) -> None:
    m = line.values
    text = formats["text"]
    title = (CONFIDENTIAL_MARK if m.problem__confidential else "") + m.problem__title
    sheet.write_plain_row(
        row,
        [  # in the order of COLUMNS
            (f"{m.problem__aspect__no}.{m.problem__no}.{m.no}", text),
            _text_cell(m.problem__aspect__title, formats),
            _text_cell(title, formats, "confidential" if m.problem__confidential else "text"),
            _text_cell(m.content, formats),
            _text_cell(m.responsible_leader, formats),
            _text_cell(m.responsible_department, formats),
            _text_cell(m.responsible_person, formats),
            (m.deadline, formats["date"]),
            (KIND_NAMES.get(m.kind, ""), text),
            _text_cell(m.progress, formats),
            (STATUS_LABELS.get(m.status, m.status), text),
            _text_cell(line.evidence, formats),
            (line.close_out, text),
            (m.id, text),
            (m.version, text),
        ],
    )


def _write_bottom(sheet: Any, *, last_row: int) -> None:
    """What needs the last row: the filter over the table and the drop-down lists."""
    first, last = FIRST_ROW - 1, max(last_row, FIRST_ROW - 1)
    sheet.autofilter(HEADER_ROW - 1, 0, last, COL["销号情况"])
    kinds = list(KIND_NAMES.values())
    sheet.data_validation(
        first,
        COL["整改类型"],
        last,
        COL["整改类型"],
        {
            "validate": "list",
            "source": kinds,
            "ignore_blank": True,
            "error_title": "整改类型",
            "error_message": "请从下拉列表中选择：" + "、".join(kinds) + "，或留空。",
        },
    )
    sheet.data_validation(
        first,
        COL["完成情况"],
        last,
        COL["完成情况"],
        {
            "validate": "list",
            "source": list(STATUS_LABELS.values()),
            "ignore_blank": True,
            "input_title": "完成情况",
            "input_message": "状态随提交、验收、销号在系统中变更，导入台账时不修改状态。",
            "error_title": "完成情况",
            "error_message": "请从下拉列表中选择措施状态。",
        },
    )


def _number(measure: Measure) -> str:
    return f"{measure.problem.aspect.no}.{measure.problem.no}.{measure.no}"


def _close_out_text(
    status: str, completed: dt.date | None, decision: tuple[str, str, dt.datetime] | None
) -> str:
    """验收销号：office 2024-04-01 for a closed measure; the completion date the unit recorded
    follows in brackets (or stands with 未销号 while the measure is open)."""
    done = f"（{completed:%Y-%m-%d}完成）" if completed else ""
    if status not in CLOSED_STATUSES:
        return f"未销号{done}" if done else ""
    if decision is None:
        return STATUS_LABELS[status] + done
    kind, actor, at = decision
    day = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{DECISION_LABELS[kind]}：{actor} {day:%Y-%m-%d}{done}"


# --- import: reading and checking ------------------------------------------------------------


@dataclass
class RowChange:
    row: int
    measure: Measure
    version: int
    changes: dict[str, Any]


def import_ledger(inspection: Inspection, file: bytes | IO[bytes], *, by: User) -> ImportResult:
    """Check every cell of the sheet, then apply all changes in one transaction, or none.

    Raises ``NotFound`` if ``by`` may not read the inspection; everything wrong inside the
    sheet (including rows the actions refuse) comes back in ``ImportResult.errors``.
    """
    current = access.get_inspection_for(by, inspection.pk)
    measures = {m.pk: m for m in access.measures_for(by).filter(inspection=current)}
    result = ImportResult()
    rows = _read_sheet(file, result)
    if result.errors:
        return result
    pending = _check_rows(rows, measures, result)
    if result.errors:
        return result
    result.unchanged = len(rows) - len(pending)
    _apply(current, pending, by, result)
    return result


def _read_sheet(file: bytes | IO[bytes], result: ImportResult) -> list[tuple[int, list[Any]]]:
    """The data rows (row number, cell values in ``HEADERS`` order); blank rows skipped.

    The file is checked first as a package (size, members, inflated size: a zip bomb never
    reaches openpyxl), then read in read-only mode, which streams the sheet row by row; a
    sheet with more rows than ``ZHENGGAI_XLSX_MAX_ROWS`` stops the reading there."""
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        _check_package(stream)
        book = load_workbook(stream, read_only=True, data_only=True)
        try:
            return _sheet_rows(book.worksheets[0], result)
        finally:
            book.close()
    except _Refusal as exc:
        log.warning("ledger import refused: %s", exc.detail)
        result.errors.append(CellError(0, "", exc.message))
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds for a file that is not .xlsx)
        log.warning("ledger import: cannot read the sheet: %r", exc)
        result.errors.append(CellError(0, "", UNREADABLE))
    return []


UNREADABLE = "无法读取该文件，请上传从本系统导出的 .xlsx 台账。"


class _Refusal(Exception):
    """The upload breaks a limit: ``message`` for the user (Chinese), ``detail`` for the log."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(detail)
        self.message, self.detail = message, detail


def _check_package(stream: IO[bytes]) -> None:
    """An .xlsx by its content (a zip with ``xl/workbook.xml``), within the upload limits."""
    stream.seek(0)  # an upload may have been read already (a form checking it)
    if not stream.read(4).startswith(b"PK\x03\x04"):
        raise _Refusal(UNREADABLE, "not a zip package")
    stream.seek(0)
    try:
        zipguard.check_zip(stream, uploads.zip_limits())
    except zipguard.ZipLimitError as exc:
        raise _Refusal(f"{exc}。", exc.detail) from exc
    with zipfile.ZipFile(stream) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise _Refusal(UNREADABLE, "a zip package without xl/workbook.xml")
    stream.seek(0)


def _sheet_rows(sheet: Any, result: ImportResult) -> list[tuple[int, list[Any]]]:
    width = len(HEADERS)  # only the ledger's columns: a cell in column XFD costs nothing
    header_row = next(sheet.iter_rows(HEADER_ROW, HEADER_ROW, max_col=width, values_only=True), ())
    header = [_text(c) for c in header_row] + [""] * len(HEADERS)
    visible = list(HEADERS[: COL["销号情况"] + 1])
    if header[: len(visible)] != visible:
        message = "表头与台账格式不符，应为：" + "、".join(visible) + "。"
        result.errors.append(CellError(HEADER_ROW, "", message))
        return []
    # Without the hidden columns (deleted, or the sheet retyped) rows are matched by 序号.
    has_ids = header[len(visible) : len(HEADERS)] == list(HIDDEN)
    limit = uploads.max_rows()
    rows = []
    data = sheet.iter_rows(FIRST_ROW, max_col=width, values_only=True)
    for number, values in enumerate(data, FIRST_ROW):
        if number - FIRST_ROW >= limit:
            raise _Refusal(
                f"表格行数超过上限（{limit} 行），请分批导入或删去多余的行。",
                f"sheet has more than {limit} data rows",
            )
        cells = [*values, *([None] * width)][:width]
        if not has_ids:
            cells[len(visible) :] = [None] * len(HIDDEN)
        if any(_text(v) for v in cells):
            rows.append((number, cells))
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_rows(
    rows: list[tuple[int, list[Any]]], measures: dict[int, Measure], result: ImportResult
) -> list[RowChange]:
    by_number = {_number(m): m for m in measures.values()}
    seen: set[int] = set()
    pending = []
    for row, cells in rows:
        errors: list[CellError] = []
        measure = _match(row, cells, measures, by_number, errors)
        if measure is not None and measure.pk in seen:
            errors.append(CellError(row, "措施编号", "与前面的行重复，同一措施只能出现一次。"))
        changes = _changes(row, cells, measure, errors) if measure is not None else {}
        result.errors.extend(errors)
        if measure is None or errors:
            continue
        seen.add(measure.pk)
        if changes:
            version = _int(cells[COL["版本"]]) or measure.version
            pending.append(RowChange(row, measure, version, changes))
        if len(result.errors) >= MAX_ERRORS:
            break
    return pending


def _match(
    row: int,
    cells: list[Any],
    measures: dict[int, Measure],
    by_number: dict[str, Measure],
    errors: list[CellError],
) -> Measure | None:
    measure_id, number = cells[COL["措施编号"]], _text(cells[COL["序号"]])
    if _text(measure_id):
        measure = measures.get(_int(measure_id) or -1)
        if measure is None:
            errors.append(CellError(row, "措施编号", f"本台账中没有编号为“{measure_id}”的措施。"))
            return None
    elif number:
        measure = by_number.get(number)
        if measure is None:
            errors.append(CellError(row, "序号", f"本台账中没有序号为“{number}”的措施。"))
            return None
    else:
        errors.append(CellError(row, "序号", "缺少序号，不能在表格中新增措施，请在系统中添加。"))
        return None
    _check_place(row, cells, measure, errors)
    return measure


def _check_place(row: int, cells: list[Any], measure: Measure, errors: list[CellError]) -> None:
    """方面 and 具体问题 are not edited here: a difference means the row was moved or mixed up."""
    problem = measure.problem
    aspect_text = _text(cells[COL["方面"]])
    problem_text = _text(cells[COL["具体问题"]]).removeprefix(CONFIDENTIAL_MARK).strip()
    if aspect_text != problem.aspect.title.strip():
        errors.append(CellError(row, "方面", f"与台账中该措施所属的方面不符：“{aspect_text}”。"))
    if problem_text != problem.title.strip():
        errors.append(
            CellError(row, "具体问题", f"与台账中该措施所属的问题不符：“{problem_text}”。")
        )


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip().removesuffix(".0"))
    except ValueError:
        return None


def _changes(
    row: int, cells: list[Any], measure: Measure, errors: list[CellError]
) -> dict[str, Any]:
    """The editable cells that differ from the measure, converted; bad cells go to errors."""
    changes: dict[str, Any] = {}
    for header, name, _ in COLUMNS:
        if name is None:
            continue
        try:
            value = _convert(name, cells[COL[header]], measure)
        except ValueError as exc:
            errors.append(CellError(row, header, str(exc)))
            continue
        if value != getattr(measure, name):
            changes[name] = value
    return changes


def _convert(name: str, value: Any, measure: Measure) -> Any:
    if name == "deadline":
        return parse_date(value)
    if name == "kind":
        return _kind(value)
    text = "" if value is None else str(value)
    field = measure._meta.get_field(name)
    limit = getattr(field, "max_length", None)
    if field.get_internal_type() == "CharField":
        text = text.strip()
    if limit and len(text) > limit:
        raise ValueError(f"内容过长（{len(text)}字），最多{limit}字。")
    if name == "content" and not text.strip():
        raise ValueError("整改措施不能为空。")
    current = getattr(measure, name)
    # Excel turns line ends into \n: text that differs only there is not a change.
    return current if text.replace("\r\n", "\n") == current.replace("\r\n", "\n") else text


def _kind(value: Any) -> str:
    text = _text(value)
    if text not in KIND_LABELS:
        allowed = "、".join(KIND_NAMES.values())
        raise ValueError(f"无法识别的整改类型“{text}”，应为{allowed}之一或留空。")
    return KIND_LABELS[text]


def parse_date(value: Any) -> dt.date | None:
    """A date cell: an Excel date, a serial number, or 2024-03-01, 2024/3/1, 2024年3月1日."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 1 <= value < 2958466:
        return from_excel(value).date()
    text = _text(value).replace(" ", "")
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValueError(f"无法识别的日期“{text}”，请写成 2024-03-01 或 2024年3月1日。")


# --- import: applying ------------------------------------------------------------------------

# Which column to blame when an action refuses a field.
FIELD_COLUMNS = {name: header for header, name, _ in COLUMNS if name}


class _Refused(Exception):
    """Raised inside the transaction to roll back everything when any row was refused."""


def _apply(
    inspection: Inspection, pending: list[RowChange], by: User, result: ImportResult
) -> None:
    try:
        with transaction.atomic():
            for change in pending:
                _apply_row(change, by, result)
            if result.errors:
                raise _Refused()
            if pending:
                ids = [change.measure.pk for change in pending]
                audit.record(
                    "inspection.import_ledger",
                    actor=by,
                    target=inspection,
                    after={"measures": ids},
                    detail=f"从台账导入，修改 {len(ids)} 项措施",
                )
    except _Refused:
        result.changed = []
        return
    result.changed = [change.measure.pk for change in pending]


def _apply_row(change: RowChange, by: User, result: ImportResult) -> None:
    # Each action runs in its own savepoint: a refused row leaves the transaction usable, so
    # every refusal is collected before everything is rolled back.
    try:
        actions.update_measure(
            change.measure, change.changes, by=by, expected_version=change.version
        )
    except ValidationError as exc:
        result.errors.extend(_field_errors(change.row, exc))
    except ConflictError:
        message = "该措施在导出后已被他人修改，请重新导出台账后再修改。"
        result.errors.append(CellError(change.row, "", message))
    except LedgerError as exc:
        result.errors.append(CellError(change.row, "", exc.message))


def _field_errors(row: int, exc: ValidationError) -> Iterator[CellError]:
    if not exc.errors:
        yield CellError(row, "", exc.message)
    for name, messages in exc.errors.items():
        for message in messages:
            yield CellError(row, FIELD_COLUMNS.get(name, ""), message)

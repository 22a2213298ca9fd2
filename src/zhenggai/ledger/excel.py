"""The ledger (台账) as an Excel sheet: export it, edit it in Excel, import it back.

The sheet has a title in row 1, the header in row 2 and one row per measure from row 3, in
the usual 台账 columns A–M (序号 … 销号情况), followed by two hidden columns: N 措施编号 (the
measure's id) and O 版本 (its version when exported).

How an imported row finds its measure:
  1. by 措施编号 (hidden column N), which must name a measure of this inspection;
  2. if that cell is empty (the row was typed or pasted without it), by 序号 ``方面.问题.措施``
     (e.g. ``2.1.3``);
  then 方面 and 具体问题 must still read as they do in the ledger — a row moved under another
  problem is reported, not silently re-filed. Rows cannot add or delete measures.

What an import may change: 整改措施, 责任领导, 责任部门, 责任人, 完成时限, 整改类型, 整改进展
(through ``actions.update_measure``, which checks the rules: a set deadline moves only by an
approved extension, only editable measures change, …). 完成情况, 佐证材料 and 销号情况 come from
the workflow and are ignored on import. 版本 is the optimistic lock: a row whose measure was
saved by someone else after the export is reported as a conflict.

Every cell is checked first and every bad one reported (``第5行 H列（完成时限）：…``); then the
changes are applied in one transaction, and if any action refuses a row, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from zhenggai.ledger import access, actions, audit
from zhenggai.ledger.errors import ConflictError, LedgerError, ValidationError
from zhenggai.ledger.models import (
    DecisionKind,
    Inspection,
    Measure,
    MeasureKind,
    MeasureStatus,
    User,
)

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


def export_ledger(inspection: Inspection, *, by: User) -> bytes:
    """The inspection's ledger as .xlsx bytes, with the measures ``by`` may read."""
    current = access.get_inspection_for(by, inspection.pk)
    book = Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    _write_header(sheet, current)
    for row, measure in enumerate(_ledger_measures(by, current), FIRST_ROW):
        _write_row(sheet, row, measure)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _ledger_measures(user: User, inspection: Inspection) -> Iterable[Measure]:
    queryset = access.measures_for(user).filter(inspection=inspection)
    return queryset.prefetch_related("evidence", "decisions__actor").order_by(
        "problem__aspect__no", "problem__no", "no"
    )


def _write_header(sheet: Any, inspection: Inspection) -> None:
    sheet.cell(1, 1, f"{inspection.unit.name}巡察整改台账（{inspection.round}）")
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=13)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, (header, _, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(HEADER_ROW, index, header)
        cell.font, cell.fill = Font(bold=True), fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        sheet.column_dimensions[letter].hidden = header in HIDDEN
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 4)


def _write_row(sheet: Any, row: int, measure: Measure) -> None:
    problem = measure.problem
    values = {
        "序号": _number(measure),
        "方面": problem.aspect.title,
        "具体问题": (CONFIDENTIAL_MARK if problem.confidential else "") + problem.title,
        "完成时限": measure.deadline,
        "整改类型": KIND_NAMES.get(measure.kind, ""),
        "完成情况": _completion(measure),
        "佐证材料": _evidence_text(measure),
        "销号情况": _close_out_text(measure),
        "措施编号": measure.pk,
        "版本": measure.version,
    }
    for index, (header, name, _) in enumerate(COLUMNS, 1):
        value = values[header] if header in values else getattr(measure, name or "")
        cell = sheet.cell(row, index, value)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    if problem.confidential:
        sheet.cell(row, COL["具体问题"] + 1).font = Font(color="C00000")


def _number(measure: Measure) -> str:
    return f"{measure.problem.aspect.no}.{measure.problem.no}.{measure.no}"


def _completion(measure: Measure) -> str:
    text = measure.get_status_display()
    if measure.completed_date:
        text += f"（{measure.completed_date:%Y-%m-%d}完成）"
    return text


def _evidence_text(measure: Measure) -> str:
    lines = []
    for evidence in measure.evidence.all():
        parts = [evidence.doc_number, f"《{evidence.title}》" if evidence.title else ""]
        lines.append(" ".join(p for p in parts if p) or evidence.original_name)
    return "\n".join(lines)


def _close_out_text(measure: Measure) -> str:
    if measure.status not in (MeasureStatus.CLOSED, MeasureStatus.PHASE_COMPLETE):
        return ""
    kinds = (DecisionKind.CLOSE_OUT, DecisionKind.VERIFY)
    decisions = [d for d in measure.decisions.all() if d.kind in kinds]
    if not decisions:
        return str(measure.get_status_display())
    last = decisions[-1]
    return f"{last.get_kind_display()}：{last.actor.get_username()} {last.at:%Y-%m-%d}"


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
    """The data rows (row number, cell values in ``HEADERS`` order); blank rows skipped."""
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        book = load_workbook(stream, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds for a file that is not .xlsx)
        result.errors.append(CellError(0, "", "无法读取该文件，请上传从本系统导出的 .xlsx 台账。"))
        return []
    sheet = book.worksheets[0]
    header = [_text(c) for c in next(sheet.iter_rows(HEADER_ROW, HEADER_ROW, values_only=True))]
    header += [""] * len(HEADERS)
    visible = list(HEADERS[: COL["销号情况"] + 1])
    if header[: len(visible)] != visible:
        message = "表头与台账格式不符，应为：" + "、".join(visible) + "。"
        result.errors.append(CellError(HEADER_ROW, "", message))
        return []
    # Without the hidden columns (deleted, or the sheet retyped) rows are matched by 序号.
    has_ids = header[len(visible) : len(HEADERS)] == list(HIDDEN)
    rows = []
    for number, values in enumerate(sheet.iter_rows(FIRST_ROW, values_only=True), FIRST_ROW):
        cells = [*values, *([None] * len(HEADERS))][: len(HEADERS)]
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

"""The DA/T 22-2015 归档文件目录 of an inspection's evidence (xlsxwriter, A4 landscape).

档号 = 全宗号-档案门类代码·年度-保管期限-机构（问题）代码-件号, e.g. ``X001-WS·2024-D30-BGS-0001``.
件号 counts from 1 within each 年度 (the lowest level of the classification here: one
retention period and one organisation code per catalogue), in date order. A 题名 that is
missing or unusable (a bare file name, no Chinese) becomes a made-up title in [ ] (DA/T 22
§6.3: 自拟题名加 "[ ]").

``catalogue_entries`` (ledger → entries) is the only part that reads Django models; the
entries and the writer are plain Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from zhenggai.xlsxtext import workbook as text_workbook

if TYPE_CHECKING:
    from zhenggai.ledger.models import Evidence, Inspection

FONDS = "X001"  # 全宗号: the archive's own code for the unit (set per installation)
CATEGORY = "WS"  # 档案门类代码: 文书
RETENTION = "D30"  # 保管期限: Y 永久, D30 定期30年, D10 定期10年
ORGANISATION = "BGS"  # 机构（问题）代码: 办公室
RETENTIONS = ("Y", "D30", "D10")

COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
WIDTHS = (6, 26, 20, 18, 60, 10, 6, 6, 16)  # characters; 168 in all fits A4 landscape
CJK = re.compile(r"[\u4e00-\u9fff]")
FILE_NAME = re.compile(r"^[\w\-. ]+\.[A-Za-z0-9]{2,5}$")


@dataclass(frozen=True)
class Entry:
    """One 件 of the catalogue before numbering."""

    doc_number: str
    responsible: str  # 责任者
    title: str
    date: dt.date | None
    classification: str = ""  # 密级: blank, 秘密, 机密, 绝密
    pages: int | None = None
    remark: str = ""
    fallback_title: str = ""  # what the made-up title says when ``title`` is unusable


def archive_code(
    year: int,
    item: int,
    *,
    fonds: str = FONDS,
    category: str = CATEGORY,
    retention: str = RETENTION,
    organisation: str = ORGANISATION,
) -> str:
    """X001-WS·2024-D30-BGS-0001."""
    if retention not in RETENTIONS:
        raise ValueError(f"保管期限代码应为 {'、'.join(RETENTIONS)} 之一：{retention}")
    return f"{fonds}-{category}·{year}-{retention}-{organisation}-{item:04d}"


def catalogue_title(entry: Entry) -> str:
    """The 题名, or a made-up one in [ ] when it is missing or unusable."""
    title = entry.title.strip()
    if title and CJK.search(title) and not FILE_NAME.match(title):
        return title
    made_up = entry.fallback_title.strip() or "佐证材料"
    return f"[{made_up}]"


def yyyymmdd(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""


def numbered(entries: list[Entry], default_year: int, **codes: str) -> list[tuple[str, Entry]]:
    """(档号, entry) in date order (undated last), 件号 from 1 within each year."""
    ordered = sorted(entries, key=lambda e: (e.date is None, e.date or dt.date.min))
    counters: dict[int, int] = defaultdict(int)
    result = []
    for entry in ordered:
        year = entry.date.year if entry.date else default_year
        counters[year] += 1
        result.append((archive_code(year, counters[year], **codes), entry))
    return result


def write_catalogue(
    entries: list[Entry],
    output: str | IO[bytes],
    *,
    heading: str = "归档文件目录",
    default_year: int | None = None,
    **codes: str,
) -> None:
    """Write the catalogue as .xlsx to a path or a binary file object."""
    year = default_year or dt.date.today().year
    rows = numbered(entries, year, **codes)
    workbook = text_workbook(output, in_memory=True)
    sheet = workbook.add_worksheet("归档文件目录")
    formats = _formats(workbook)
    _page_setup(sheet)
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, heading, formats["title"])
    sheet.write_row(1, 0, COLUMNS, formats["header"])
    for index, (code, entry) in enumerate(rows, start=1):
        sheet.write_row(1 + index, 0, _cells(index, code, entry), formats["cell"])
    workbook.close()


def _cells(index: int, code: str, entry: Entry) -> list[Any]:
    return [
        index,
        code,
        entry.doc_number,
        entry.responsible,
        catalogue_title(entry),
        yyyymmdd(entry.date),
        entry.classification,
        entry.pages if entry.pages is not None else "",
        entry.remark,
    ]


def _formats(workbook: Any) -> dict[str, Any]:
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
    return {
        "title": workbook.add_format({"font_name": "黑体", "font_size": 16, "align": "center"}),
        "header": workbook.add_format({**base, "bold": True, "align": "center"}),
        "cell": workbook.add_format({**base, "text_wrap": True}),
    }


def _page_setup(sheet: Any) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.7, right=0.7, top=0.75, bottom=0.75)
    sheet.repeat_rows(1)  # the header row on every printed page
    sheet.fit_to_pages(1, 0)  # one page wide, as many long as needed
    sheet.freeze_panes(2, 0)
    sheet.set_footer("&C第 &P 页 共 &N 页")
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)


# --- from the ledger -----------------------------------------------------------------------


def catalogue_entries(inspection: Inspection) -> list[Entry]:
    """The inspection's own documents — its 通报 and, once sent, its 整改情况报告 — and every
    document cited as evidence, each listed once however many measures cite it (DA/T 22
    catalogues 件, not citations)."""
    from zhenggai.ledger.models import Evidence

    evidence = (
        Evidence.objects.filter(measure__inspection=inspection)
        .select_related("measure__problem")
        .order_by("date", "uploaded_at", "id")
    )
    responsible = inspection.issuer or inspection.unit.name
    cited: dict[tuple[str, ...], Entry] = {}
    for item in evidence:
        cited.setdefault(_document_key(item), _entry(item, responsible))
    return [*_own_documents(inspection, responsible), *cited.values()]


def _document_key(evidence: Evidence) -> tuple[str, ...]:
    """What makes two pieces of evidence one document: the same file, else the same 文号 (or,
    without one, the same 题名 and date)."""
    if evidence.sha256:
        return ("file", evidence.sha256)
    if evidence.doc_number.strip():
        return ("number", evidence.doc_number.strip())
    if evidence.title.strip() and evidence.date is not None:
        return ("title", evidence.title.strip(), str(evidence.date))
    return ("evidence", str(evidence.pk))  # too little known to say it is the same


def _own_documents(inspection: Inspection, responsible: str) -> list[Entry]:
    from django.utils import timezone

    notice = inspection.title or f"关于{inspection.unit.name}巡察整改情况的通报"
    entries = [Entry("", responsible, notice, None, remark="整改情况通报")]
    if inspection.report_submitted_at is not None:
        sent = timezone.localdate(inspection.report_submitted_at)
        title = f"{responsible}关于巡察整改情况的报告"
        entries.append(Entry("", responsible, title, sent, remark="整改情况报告"))
    return entries


def _entry(evidence: Evidence, responsible: str) -> Entry:
    problem = evidence.measure.problem
    stem = evidence.original_name.rpartition(".")[0] or evidence.original_name
    fallback = stem if CJK.search(stem) else f"{problem.title}整改佐证材料"
    remarks = []
    if problem.confidential:
        remarks.append("不予公开")
    if evidence.date is None:
        remarks.append("日期不详")
    return Entry(
        doc_number=evidence.doc_number,
        responsible=responsible,
        title=evidence.title,
        date=evidence.date,
        pages=evidence.pages,
        remark="；".join(remarks),
        fallback_title=fallback,
    )

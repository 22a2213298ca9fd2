"""The plan as files: the 整改方案 (GB/T 9704 .docx, its three lists as tables) and the three
lists as one workbook (.xlsx, a sheet per list).

Text cells are written with ``write_string``: a value beginning with = + - @ stays text and is
never read by Excel as a formula.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

import xlsxwriter

from zhenggai.ledger.models import Inspection
from zhenggai.planning.lists import ThreeLists, kind_label, light_label, status_label
from zhenggai.reports.gbt9704 import OfficialDocument, cn_date

PROBLEM_HEADER = ["序号", "方面", "问题", "原因分析", "措施数", "整改状态", "预警"]
MEASURE_HEADER = [
    "序号",
    "问题",
    "整改措施",
    "整改类型",
    "责任领导",
    "责任部门",
    "责任人",
    "完成时限",
    "完成标准",
    "状态",
    "预警",
]
RESPONSIBILITY_HEADER = ["责任领导", "责任部门", "责任人", "措施序号", "措施数", "未完成", "逾期"]


def _deadline(deadline: dt.date | None, period: int | None) -> str:
    if deadline is not None:
        return cn_date(deadline)
    return f"长期坚持，每{period}个月报告" if period else ""


def problem_cells(lists: ThreeLists) -> list[list[str]]:
    return [
        [
            row.number,
            row.aspect,
            row.title,
            row.cause_analysis,
            str(row.measures),
            row.status_label,
            light_label(row.light),
        ]
        for row in lists.problems
    ]


def measure_cells(lists: ThreeLists) -> list[list[str]]:
    return [
        [
            row.number,
            row.problem,
            row.content,
            kind_label(row.kind),
            row.leader,
            row.department,
            row.person or row.owner,
            _deadline(row.deadline, row.review_period_months),
            row.completion_standard,
            status_label(row.status),
            light_label(row.light),
        ]
        for row in lists.measures
    ]


def responsibility_cells(lists: ThreeLists) -> list[list[str]]:
    return [
        [
            row.leader,
            row.department,
            row.person,
            "、".join(row.numbers),
            str(row.total),
            str(row.open),
            str(row.overdue),
        ]
        for row in lists.responsibilities
    ]


SHEETS = (
    ("问题清单", PROBLEM_HEADER, problem_cells),
    ("任务清单", MEASURE_HEADER, measure_cells),
    ("责任清单", RESPONSIBILITY_HEADER, responsibility_cells),
)


# --- the workbook --------------------------------------------------------------------------


def write_workbook(lists: ThreeLists, out: IO[bytes], *, only: str | None = None) -> None:
    """The three lists, one sheet each (``only``: just the sheet of that name)."""
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    header = book.add_format({"bold": True, "border": 1, "text_wrap": True, "bg_color": "#DDEBF7"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    for name, columns, cells in SHEETS:
        if only is not None and name != only:
            continue
        sheet = book.add_worksheet(name)
        sheet.set_column(0, len(columns) - 1, 18)
        for col, title in enumerate(columns):
            sheet.write_string(0, col, title, header)
        for row_no, values in enumerate(cells(lists), start=1):
            for col, value in enumerate(values):
                sheet.write_string(row_no, col, value, cell)
        sheet.freeze_panes(1, 0)
    book.close()


# --- the 整改方案 ---------------------------------------------------------------------------


def plan_document(
    inspection: Inspection, lists: ThreeLists, *, version: int | None, day: dt.date | None
) -> OfficialDocument:
    """The unit's 整改方案: why, the goal, the three lists as tables, how it is carried out."""
    issuer = str(inspection.issuer or inspection.unit.name)
    doc = OfficialDocument()
    doc.title(f"{issuer}关于巡察反馈问题的整改方案")
    if version:
        doc.body(f"（第{version}版）", indent=False)
    doc.blank()
    doc.body(_opening(inspection, lists))
    doc.heading(1, "一、问题清单")
    doc.table(PROBLEM_HEADER, problem_cells(lists), [16, 26, 40, 34, 12, 16, 12])
    doc.heading(1, "二、任务清单")
    doc.table(MEASURE_HEADER, measure_cells(lists), [14, 18, 26, 12, 12, 14, 12, 16, 18, 8, 6])
    doc.heading(1, "三、责任清单")
    doc.table(RESPONSIBILITY_HEADER, responsibility_cells(lists), [22, 26, 22, 40, 14, 16, 16])
    doc.heading(1, "四、工作要求")
    doc.body(
        "单位主要负责人履行整改第一责任人职责，责任领导、责任部门和责任人按照任务清单"
        "逐项落实，按期报送整改进展和佐证材料；方案审定后如需调整，按程序申请变更。"
    )
    doc.signature(issuer, day)
    return doc


def _opening(inspection: Inspection, lists: ThreeLists) -> str:
    feedback = (
        f"于{cn_date(inspection.feedback_date)}" if inspection.feedback_date else ""
    ) + "反馈的巡察意见"
    return (
        f"为认真落实{inspection.group.name}{feedback}，对巡察反馈的{len(lists.problems)}个问题"
        f"逐条认领、逐项整改，共制定整改措施{len(lists.measures)}条，"
        "建立问题清单、任务清单、责任清单如下。"
    )


def save_document(doc: OfficialDocument, out: Any) -> None:
    doc.save(out)

"""The documents a unit owes, built from a ledger inspection (GB/T 9704 .docx).

- ``notice_document_for``: the public 整改情况通报 (confidential problems left out);
- ``report_document``: the 整改情况报告 to the inspection office (totals, item by item,
  reasons for what is unfinished, next steps);
- ``leader_report_document``: the 主要负责人组织落实整改情况报告, with the unit's figures;
- ``supervision_document``: the 督办单 for overdue measures.

The unit's own documents carry its 版头 once its settings are entered
(``zhenggai.documents``): the two reports as upward documents with 签发人, the notice without.

The reports go to the inspection office, not the public: they cover every problem, the
confidential ones included. Figures the ledger does not hold (people held accountable, the
head's name) are parameters; when missing, the document leaves a line to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhenggai.documents.letterhead import letterhead_for
from zhenggai.ledger.models import Inspection, Measure
from zhenggai.reports.gbt9704 import OfficialDocument, cn_date
from zhenggai.reports.ledger import Figures, MeasureRow, figures, official_notice, overdue_days
from zhenggai.reports.notice import text_document
from zhenggai.supervision.escalation import order_document_fields, owners_of
from zhenggai.supervision.models import ORDER_PREFIX, SupervisionOrder

BLANK = "＿＿"  # a short line to fill in by hand
REPLY_DAYS = 7  # the unit replies to a 督办单 within a week (practice; a parameter)
STANDARD_REQUIREMENT = (
    "请单位主要负责人督促责任部门立即整改，说明逾期原因，明确整改措施和完成时限，"
    "整改完成后报送佐证材料申请验收。"
)


def notice_document_for(inspection: Inspection, *, day: dt.date | None = None) -> OfficialDocument:
    signer = str(inspection.issuer or inspection.unit.name)
    head = letterhead_for(inspection.unit, upward=False)  # the public notice: no 签发人
    return text_document(official_notice(inspection), signer=signer, day=day, letterhead=head)


def _document(inspection: Inspection) -> OfficialDocument:
    """A report to the office: an upward document (上行文), whose 版头 names the 签发人."""
    doc = OfficialDocument()
    head = letterhead_for(inspection.unit, upward=True)
    if head is not None:
        doc.letterhead(head)
    return doc


def _office(inspection: Inspection) -> str:
    return f"中共{inspection.round.region.name}委巡察工作领导小组办公室"


def _issuer(inspection: Inspection) -> str:
    return str(inspection.issuer or inspection.unit.name)


def _when(inspection: Inspection) -> str:
    """根据…部署，X巡察组于…对我单位开展了巡察，并于…反馈了巡察意见。"""
    group = inspection.group.name
    period = ""
    if inspection.start and inspection.end:
        period = f"于{cn_date(inspection.start)}至{cn_date(inspection.end)}"
    feedback = f"，并于{cn_date(inspection.feedback_date)}" if inspection.feedback_date else "，并"
    opening = f"根据{inspection.round.name}统一部署，{group}{period}对我单位开展了巡察"
    return f"{opening}{feedback}反馈了巡察意见。"


def _count(value: int | None) -> str:
    return BLANK if value is None else str(value)


# --- 整改情况报告 ----------------------------------------------------------------------------


def report_document(
    inspection: Inspection,
    *,
    today: dt.date | None = None,
    accountable: int | None = None,
    day: dt.date | None = None,
) -> OfficialDocument:
    """The 整改情况报告 to the inspection office, counted on ``today``; ``day`` dates it."""
    numbers = figures(inspection, today=today, accountable=accountable)
    doc = _document(inspection)
    doc.title(f"{_issuer(inspection)}关于巡察整改情况的报告")
    doc.blank()
    doc.addressee(f"{_office(inspection)}：")
    doc.body(f"{_when(inspection)}现将整改情况报告如下。")
    doc.heading(1, "一、整改工作总体情况")
    doc.body(totals_text(numbers))
    doc.heading(1, "二、逐项整改情况")
    _status_table(doc, numbers.rows)
    _opinions(doc, inspection, numbers.today)
    doc.heading(1, "三、尚未完成的整改事项及原因")
    _unfinished(doc, numbers)
    doc.heading(1, "四、下一步工作打算")
    _next_steps(doc, numbers)
    doc.signature(_issuer(inspection), day)
    return doc


def totals_text(numbers: Figures) -> str:
    return (
        f"巡察反馈问题共{numbers.aspects}个方面{numbers.problems}个，我单位制定整改措施"
        f"{numbers.measures}条。截至{cn_date(numbers.today)}，已完成整改问题"
        f"{numbers.problems_done}个，正在整改{numbers.problems_in_progress}个，尚未开始"
        f"{numbers.problems_not_started}个；整改措施已完成{numbers.measures_done}条，"
        f"正在推进{numbers.measures_in_progress}条，尚未开始{numbers.measures_not_started}条，"
        f"其中逾期{numbers.measures_overdue}条；建立完善制度{numbers.rules_made}项；"
        f"问责{_count(numbers.accountable)}人。"
    )


def _status_table(doc: OfficialDocument, rows: list[MeasureRow]) -> None:
    header = ["序号", "问题", "整改措施", "责任部门", "完成时限", "整改状态"]
    values = [
        [
            row.number,
            row.problem,
            row.content,
            row.department,
            cn_date(row.deadline) if row.deadline else "",
            row.status + (f"（逾期{row.overdue_days}天）" if row.overdue_days else ""),
        ]
        for row in rows
    ]
    # 156 mm of text width: numbers and dates narrow, the problem and measure wide.
    doc.table(header, values, [22, 30, 50, 18, 18, 18])


def _opinions(doc: OfficialDocument, inspection: Inspection, today: dt.date) -> None:
    """群众监督意见 and their answers (never the senders' names or contacts), when any."""
    from zhenggai.opinions import export, reads
    from zhenggai.opinions.models import Opinion

    opinions = Opinion.objects.filter(inspection=inspection)
    counts = reads.satisfaction(opinions, today)
    if not counts["total"]:
        return
    doc.body(
        f"收到群众监督意见{counts['total']}件，已答复{counts['answered']}件（按时答复"
        f"{counts['in_time']}件），逾期未答复{counts['overdue']}件。"
    )
    header = ["编号", "意见内容", "对应问题", "状态", "答复"]
    values = [[r[0], r[3], r[4], r[5], r[7]] for r in export.rows(opinions)]
    doc.table(header, values, [14, 46, 32, 18, 46])


def _unfinished(doc: OfficialDocument, numbers: Figures) -> None:
    unfinished = numbers.unfinished
    if not unfinished:
        doc.body("巡察反馈问题的整改措施均已完成。")
        return
    doc.body(f"尚有{len(unfinished)}条整改措施未完成，具体情况如下：")
    for index, row in enumerate(unfinished, start=1):
        reason = row.reason or f"原因：{BLANK}（请填写）"
        deadline = f"完成时限{cn_date(row.deadline)}，" if row.deadline else ""
        doc.body(f"{index}.{row.number}：{row.content}（{deadline}{row.status}）。{reason}")


def _next_steps(doc: OfficialDocument, numbers: Figures) -> None:
    doc.heading(2, "（一）持续推进未完成事项。")
    doc.body(
        f"对尚未完成的{len(numbers.unfinished)}条整改措施，逐条明确责任人和完成时限，"
        "挂单督办、对账销号，确保按期完成。"
    )
    doc.heading(2, "（二）巩固深化整改成果。")
    doc.body("对已完成的整改事项适时开展“回头看”，防止问题反弹回潮；对长期坚持类事项定期报告进展。")
    doc.heading(2, "（三）建立健全长效机制。")
    doc.body(
        f"在已建立完善{numbers.rules_made}项制度的基础上，举一反三，"
        "从制度层面堵塞漏洞，推动整改常态化、长效化。"
    )


# --- 主要负责人组织落实整改情况报告 ------------------------------------------------------------


def leader_report_document(
    inspection: Inspection,
    *,
    leader: str | None = None,
    today: dt.date | None = None,
    accountable: int | None = None,
    day: dt.date | None = None,
) -> OfficialDocument:
    """The head's own report: the first-responsible role, the unit's figures, what they led."""
    numbers = figures(inspection, today=today, accountable=accountable)
    name = leader or BLANK
    doc = _document(inspection)
    doc.title(f"{_issuer(inspection)}主要负责人")
    doc.title("组织落实巡察整改情况报告")
    doc.blank()
    doc.addressee(f"{_office(inspection)}：")
    doc.body(f"{_when(inspection)}作为整改第一责任人，现将本人组织落实整改情况报告如下。")
    doc.heading(1, "一、履行整改第一责任人职责情况")
    doc.body(
        "第一时间召开专题会议研究部署整改工作，对巡察反馈问题逐条认领，"
        "建立问题清单、任务清单、责任清单，亲自部署、亲自推动、亲自督办。"
        f"共主持召开整改专题会议{BLANK}次，听取整改情况汇报{BLANK}次。"
    )
    doc.heading(1, "二、整改任务完成情况")
    doc.body(totals_text(numbers))
    doc.heading(1, "三、本人领办问题整改情况")
    _led(doc, numbers, leader)
    doc.heading(1, "四、下一步工作打算")
    doc.body(
        "继续扛牢整改主体责任，对未完成事项盯住不放，对已完成事项巩固提升，"
        "以整改实效推动各项工作高质量发展。"
    )
    doc.body("本人对报告内容的真实性负责。")
    doc.signature(f"主要负责人：{name}", day)
    return doc


def _led(doc: OfficialDocument, numbers: Figures, leader: str | None) -> None:
    led = [row for row in numbers.rows if leader and leader in row.leader]
    if not led:
        doc.body(f"本人领办问题{BLANK}个，整改措施{BLANK}条（请填写）。")
        return
    done = sum(row.done for row in led)
    doc.body(f"本人领办整改措施{len(led)}条，已完成{done}条：")
    for index, row in enumerate(led, start=1):
        doc.body(f"{index}.{row.number}：{row.content}（{row.status}）。")


# --- 督办单 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionSheet:
    """What one 督办单 says. Built from a recorded order (``sheet_for_order``: its number,
    督办事项 and 回复期限 as the office issued them) or, before any is issued, as a draft
    from the overdue measure (``draft_sheet``: standard wording, no number)."""

    number: str
    office: str
    unit: str
    problem: str
    measure: str
    owners: str
    deadline: dt.date | None
    days_overdue: int
    issued_on: dt.date
    required_action: str
    reply_by: dt.date
    progress: str | None = None  # only a draft shows today's progress; an order was issued


def sheet_for_order(order: SupervisionOrder) -> SupervisionSheet:
    fields = order_document_fields(order)
    return SupervisionSheet(
        number=fields["number"],
        office=f"中共{fields['region']}委巡察工作领导小组办公室",
        unit=fields["unit"],
        problem=fields["problem"],
        measure=fields["measure"],
        owners=fields["owners"],
        deadline=fields["deadline"],
        days_overdue=fields["days_overdue"],
        issued_on=fields["issued_on"],
        required_action=fields["required_action"],
        reply_by=fields["reply_by"],
    )


def draft_sheet(measure: Measure, today: dt.date, reply_days: int = REPLY_DAYS) -> SupervisionSheet:
    return SupervisionSheet(
        number=f"{ORDER_PREFIX}〔{today.year}〕{BLANK}号",
        office=_office(measure.inspection),
        unit=measure.inspection.unit.name,
        problem=measure.problem.title,
        measure=measure.content,
        owners=owners_of(measure),
        deadline=measure.deadline,
        days_overdue=overdue_days(measure, today),
        issued_on=today,
        required_action=STANDARD_REQUIREMENT,
        reply_by=today + dt.timedelta(days=reply_days),
        progress=measure.progress or "未报告进展",
    )


def supervision_document(sheets: list[SupervisionSheet]) -> OfficialDocument:
    """One 督办单 per sheet, each on its own page."""
    doc = OfficialDocument()
    for index, sheet in enumerate(sheets):
        if index:
            doc.document.add_page_break()
        _supervision_page(doc, sheet)
    return doc


def _supervision_page(doc: OfficialDocument, sheet: SupervisionSheet) -> None:
    doc.title("巡察整改督办单")
    doc.body(sheet.number, indent=False)
    deadline = cn_date(sheet.deadline) if sheet.deadline else "未设定"
    rows = [
        ["被督办单位", sheet.unit],
        ["巡察反馈问题", sheet.problem],
        ["整改措施", sheet.measure],
        ["责任领导、部门、责任人", sheet.owners or BLANK],
        ["完成时限", deadline],
        ["逾期天数", f"截至{cn_date(sheet.issued_on)}逾期{sheet.days_overdue}天"],
    ]
    if sheet.progress is not None:
        rows.append(["整改进展", sheet.progress])
    rows += [
        ["督办事项", sheet.required_action],
        ["反馈时限", f"请于{cn_date(sheet.reply_by)}前将整改情况书面反馈{sheet.office}。"],
    ]
    doc.table(["项目", "内容"], rows, [40, 116])
    doc.signature(sheet.office, sheet.issued_on)

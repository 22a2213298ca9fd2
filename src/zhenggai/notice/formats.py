"""A parsed notice written out: Markdown, an Excel ledger, or notice text again.

These back ``zhenggai parse --format markdown|xlsx`` (JSON is ``Notice.to_json``);
:func:`render_text` writes the notice in the shape of the seed so that parsing its output
gives back the same tree (the round-trip tests rely on that).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from zhenggai.notice.model import Aspect, Contacts, DateMention, Measure, Notice, Problem, Stated
from zhenggai.notice.numerals import int_to_cn
from zhenggai.xlsxtext import workbook as text_workbook

# --- shared pieces ------------------------------------------------------------------------


def _aspect_heading(aspect: Aspect) -> str:
    return f"{int_to_cn(aspect.no)}、{aspect.title}"


def _problem_heading(problem: Problem) -> str:
    """（一）title; an implicit problem has no number of its own, so just its title."""
    return problem.title if problem.implicit else f"（{int_to_cn(problem.no)}）{problem.title}"


def _shows_implicit_title(aspect: Aspect, problem: Problem) -> bool:
    """An implicit problem titled like its aspect (no description paragraph) adds nothing."""
    return problem.title != aspect.title


def _date_span(mention: DateMention) -> str:
    """A date mention in ISO form: 2024-01-19, 2023-12-27至2024-03-22, 截至2024-03-22."""
    if mention.start is None and mention.end is None:
        return mention.text  # vague (年初, 每季度一次): nothing to pin down
    if mention.start is None:
        return f"截至{mention.end}"
    if mention.end is None:
        return f"{mention.start}起"
    if mention.start == mention.end:
        return mention.start
    return f"{mention.start}至{mention.end}"


def _dates(measure: Measure) -> str:
    return "、".join(_date_span(d) for d in measure.dates)


def _book_title(title: str) -> str:
    return title if title.startswith("《") else f"《{title}》"


def _stated_phrases(stated: Stated) -> list[str]:
    """The totals the notice states, in the words notices use for them."""
    phrases = []
    if stated.aspects is not None or stated.problems is not None:
        aspects = f"{stated.aspects}个方面" if stated.aspects is not None else ""
        problems = f"{stated.problems}个问题" if stated.problems is not None else "问题"
        phrases.append(f"巡察反馈{aspects}{problems}")
    if stated.measures is not None:
        phrases.append(f"制定{stated.measures}项整改措施")
    if stated.done is not None:
        phrases.append(f"已整改完成{stated.done}个")
    if stated.rate_percent is not None:
        phrases.append(f"整改完成率{stated.rate_percent:g}%")
    return phrases


def _contact_items(contacts: Contacts) -> list[tuple[str, str]]:
    """(label, values) for each kind of contact the notice gives."""
    kinds = (
        ("电话", contacts.phones),
        ("电子信箱", contacts.emails),
        ("通信地址", contacts.post_boxes),
        ("网址", contacts.websites),
    )
    return [(label, "、".join(values)) for label, values in kinds if values]


# --- Markdown -----------------------------------------------------------------------------

# ASCII characters with a meaning in CommonMark; Chinese punctuation has none.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
# Starts of a line that would open a list or a setext heading underline.
_MD_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])")
_MD_BULLET_MARKER = re.compile(r"^([-+=])")


def _md(text: str) -> str:
    """Text as one line of CommonMark inline content, markup characters escaped."""
    line = re.sub(r"\s*\n\s*", " ", text.strip())
    line = _MD_SPECIAL.sub(r"\\\1", line)
    line = _MD_ORDERED_MARKER.sub(r"\1\\\2", line)
    return _MD_BULLET_MARKER.sub(r"\\\1", line)


def to_markdown(notice: Notice) -> str:
    """The notice as a readable Chinese Markdown document (CommonMark)."""
    title = f"{notice.issuer or ''}{notice.title or ''}" or "（标题未识别）"
    blocks = [f"# {_md(title)}", *_md_header(notice)]
    stated = _stated_phrases(notice.stated)
    if stated:
        blocks.append(f"**通报所述总数**：{'，'.join(_md(p) for p in stated)}")
    for aspect in notice.aspects:
        blocks.append(f"## {_md(_aspect_heading(aspect))}")
        for problem in aspect.problems:
            blocks += _md_problem(aspect, problem)
    contacts = _contact_items(notice.contacts)
    if contacts:
        blocks.append("## 联系方式")
        blocks.append("\n".join(f"- {label}：{_md(values)}" for label, values in contacts))
    return "\n\n".join(blocks) + "\n"


def _md_header(notice: Notice) -> list[str]:
    """The inspection's facts as a two-column table (nothing when none is known)."""
    inspection = notice.inspection
    period = " 至 ".join(d for d in (inspection.start, inspection.end) if d)
    rows = [
        (label, value)
        for label, value in (
            ("巡察组", inspection.group),
            ("巡察时间", period),
            ("反馈时间", inspection.feedback),
            ("依据", "、".join(notice.basis)),
        )
        if value
    ]
    if not rows:
        return []
    lines = ["| 项目 | 内容 |", "| --- | --- |"]
    lines += [f"| {label} | {_md(value)} |" for label, value in rows]
    return ["\n".join(lines)]


def _md_problem(aspect: Aspect, problem: Problem) -> list[str]:
    blocks = []
    if not problem.implicit:
        blocks.append(f"### {_md(_problem_heading(problem))}")
    elif _shows_implicit_title(aspect, problem):
        blocks.append(_md(problem.title))
    if problem.description:
        blocks.append(_md(problem.description))
    if problem.status:
        blocks.append(f"整改状态：{_md(problem.status)}")
    if problem.measures:
        blocks.append("\n".join(_md_measure(m) for m in problem.measures))
    return blocks


def _md_measure(measure: Measure) -> str:
    """``1. text`` and, under it, its dates and status on one line."""
    marker = f"{measure.no}. "
    facts = [f"日期：{_dates(measure)}"] if measure.dates else []
    if measure.status:
        facts.append(f"状态：{measure.status}")
    item = marker + _md(measure.text)
    if facts:
        # A backslash at the end of a line is a hard line break; the indent keeps the
        # facts inside the list item.
        item += "\\\n" + " " * len(marker) + _md("；".join(facts))
    return item


# --- Excel --------------------------------------------------------------------------------

_LEDGER_COLUMNS = (
    ("序号", 6),
    ("方面", 30),
    ("具体问题", 30),
    ("整改措施", 60),
    ("日期", 24),
    ("状态", 12),
    ("文件", 36),
    ("文号", 24),
)


def write_xlsx(notice: Notice, path: Path) -> None:
    """The notice as a ledger workbook: sheet 整改措施 (one row per measure) and 概要."""
    # Opening the file first makes an unwritable path an OSError before anything is built:
    # xlsxwriter itself would report it only on close, wrapped, leaving temp files open.
    # constant_memory writes each row to a temp file as it goes: big notices stay small in
    # memory, at the price of writing rows strictly in order.
    with (
        path.open("wb") as target,
        text_workbook(target, constant_memory=True) as workbook,
    ):
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "vcenter"})
        body = workbook.add_format({"text_wrap": True, "valign": "top"})
        _write_ledger(workbook.add_worksheet("整改措施"), notice, header, body)
        _write_summary(workbook.add_worksheet("概要"), notice, header, body)


def _write_ledger(sheet: Any, notice: Notice, header: Any, body: Any) -> None:
    for col, (name, width) in enumerate(_LEDGER_COLUMNS):
        sheet.set_column(col, col, width, body)
        sheet.write_string(0, col, name, header)
    sheet.freeze_panes(1, 0)
    rows = 0
    for rows, cells in enumerate(_ledger_rows(notice), start=1):
        sheet.write_number(rows, 0, rows, body)
        for col, value in enumerate(cells, start=1):
            sheet.write_string(rows, col, value, body)
    sheet.autofilter(0, 0, rows, len(_LEDGER_COLUMNS) - 1)


def _ledger_rows(notice: Notice) -> Iterator[tuple[str, ...]]:
    """One row per measure; a problem without measures still gets a row, to be seen."""
    for aspect in notice.aspects:
        for problem in aspect.problems:
            where = (_aspect_heading(aspect), _problem_heading(problem))
            if not problem.measures:
                yield (*where, "", "", problem.status or "", "", "")
            for measure in problem.measures:
                yield (
                    *where,
                    f"{measure.no}.{measure.text}",
                    _dates(measure),
                    measure.status or problem.status or "",
                    "\n".join(_book_title(t) for t in measure.entities.documents),
                    "\n".join(measure.entities.doc_numbers),
                )


def _write_summary(sheet: Any, notice: Notice, header: Any, body: Any) -> None:
    sheet.set_column(0, 0, 24, body)
    sheet.set_column(1, 1, 60, body)
    sheet.write_row(0, 0, ("项目", "内容"), header)
    sheet.freeze_panes(1, 0)
    for row, (label, value) in enumerate(_summary_rows(notice), start=1):
        sheet.write_string(row, 0, label, body)
        sheet.write(row, 1, value, body)  # numbers stay numbers; None leaves the cell blank


def _summary_rows(notice: Notice) -> list[tuple[str, str | int | float | None]]:
    inspection, stated = notice.inspection, notice.stated
    contacts = dict(_contact_items(notice.contacts))
    return [
        ("标题", notice.title),
        ("发文单位", notice.issuer),
        ("巡察组", inspection.group),
        ("巡察开始", inspection.start),
        ("巡察结束", inspection.end),
        ("反馈时间", inspection.feedback),
        ("依据", "、".join(notice.basis) or None),
        ("通报所述方面数", stated.aspects),
        ("通报所述问题数", stated.problems),
        ("通报所述整改措施数", stated.measures),
        ("通报所述已完成数", stated.done),
        ("通报所述整改完成率（%）", stated.rate_percent),
        *((label, contacts.get(label)) for label in ("电话", "电子信箱", "通信地址", "网址")),
    ]


# --- notice text --------------------------------------------------------------------------


def render_text(notice: Notice) -> str:
    """The notice as plain notice text in the seed's shape (一、 （一） 整改情况： 1.)."""
    lines = [part for part in (notice.issuer, notice.title) if part]
    if lines:
        lines.append("")
    lines += [part for part in (_opening(notice), _preamble(notice)) if part]
    for aspect in notice.aspects:
        lines.append(f"{_aspect_heading(aspect)}方面存在的问题及整改情况")
        for problem in aspect.problems:
            lines += _problem_lines(aspect, problem)
    contacts = "；".join(f"{label}{values}" for label, values in _contact_items(notice.contacts))
    if contacts:
        lines += ["", f"联系方式：{contacts}。"]
    return "\n".join(lines) + "\n"


def _cn_date(iso: str, *, year: bool = True) -> str:
    """2024-01-19 → 2024年1月19日 (no leading zeros), or 1月19日 without the year."""
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


def _cn_period(start: str | None, end: str | None) -> str:
    """2023年10月13日至11月17日: the end drops its year when it is the start's, as notices do."""
    if start and end:
        same_year = start[:4] == end[:4]
        return f"{_cn_date(start)}至{_cn_date(end, year=not same_year)}"
    known = start or end
    return _cn_date(known) if known else ""


def _opening(notice: Notice) -> str:
    """The opening paragraph from what is known of the inspection (empty when nothing is)."""
    inspection = notice.inspection
    group = inspection.group or ""
    period = _cn_period(inspection.start, inspection.end)
    if not (period or group or inspection.feedback or notice.basis):
        return ""
    sentences = []
    if period or group:
        sentences.append(
            f"{period}，{group}对我单位开展了巡察。" if period else f"{group}对我单位开展了巡察。"
        )
    clauses = []
    if inspection.feedback:
        clauses.append(f"{_cn_date(inspection.feedback)}，{group}向我单位进行了巡察情况反馈")
    if notice.basis:
        clauses.append(f"按照{''.join(notice.basis)}有关规定")
    clauses.append("现将巡察整改情况予以公布")
    return "".join(sentences) + "，".join(clauses) + "。"


def _preamble(notice: Notice) -> str:
    """The notice's own preamble or, lacking one, a sentence stating its totals."""
    if notice.preamble:
        return notice.preamble
    phrases = _stated_phrases(notice.stated)
    return "，".join(phrases) + "。" if phrases else ""


def _full_stop(text: str) -> str:
    """Titles are stored without their final full stop; the notice prints one."""
    return text if text.endswith(("。", "！", "？")) else f"{text}。"


def _problem_lines(aspect: Aspect, problem: Problem) -> list[str]:
    lines = []
    if not problem.implicit:
        lines.append(_full_stop(_problem_heading(problem)))
    elif _shows_implicit_title(aspect, problem):
        lines.append(_full_stop(problem.title))
    if problem.description:
        lines.append(problem.description)
    if problem.status:
        lines.append(f"整改状态：{problem.status}")
    if problem.measures:
        lines.append("整改情况：")
    for measure in problem.measures:
        lines.append(f"{measure.no}.{measure.text}")
        if measure.status:
            lines.append(f"整改状态：{measure.status}")
    return lines

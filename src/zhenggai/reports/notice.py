"""The public 整改情况通报, rendered from a ``Notice`` (no Django needed).

The shape follows the seed (``longting-kexie-2024.txt``): issuer and title lines, the opening
with the inspection dates, group and feedback date, the aspect → problem → measure tree, and
the supervision contacts. ``zhenggai.notice.parse`` reads the result back into the same tree
(the round-trip test holds the two together).

A ledger inspection becomes a ``Notice`` in ``zhenggai.reports.ledger.public_notice``, which is
where confidential problems are left out.
"""

from __future__ import annotations

import datetime as dt

from zhenggai.notice.model import Aspect, Contacts, Notice, Problem
from zhenggai.notice.model import Inspection as NoticeInspection
from zhenggai.reports.gbt9704 import OfficialDocument, cn_date, cn_number

DEFAULT_TITLE = "关于巡察整改情况的通报"
DEFAULT_BASIS = "中国共产党巡视工作条例"
SUPERVISION_INVITATION = (
    "欢迎广大党员干部群众对巡察整改落实情况进行监督。如有意见和建议，请及时向我们反映。"
)


def notice_document(notice: Notice, *, day: dt.date | None = None) -> OfficialDocument:
    """The notice as a GB/T 9704 document; ``day`` adds the issuer and date at the end."""
    doc = OfficialDocument()
    if notice.issuer:
        doc.title(notice.issuer)
    doc.title(notice.title or DEFAULT_TITLE)
    doc.blank()
    doc.body(opening(notice))
    for paragraph in filter(None, notice.preamble.split("\n")):
        doc.body(paragraph)
    for aspect in notice.aspects:
        _aspect(doc, aspect)
    doc.blank()
    doc.body(closing(notice.contacts))
    if day is not None:
        doc.signature(notice.issuer or "", day)
    return doc


def opening(notice: Notice) -> str:
    """Who inspected when, when they fed back, and the rule under which this is published."""
    inspection = notice.inspection
    group = inspection.group or "巡察组"
    parts = []
    period = _period(inspection)
    if period:
        parts.append(f"{period}，{group}对我单位开展了巡察。")
    if inspection.feedback:
        feedback = cn_date(dt.date.fromisoformat(inspection.feedback))
        parts.append(f"{feedback}，{group}向我单位进行了巡察情况反馈，")
    basis = notice.basis[0] if notice.basis else DEFAULT_BASIS
    parts.append(f"按照《{basis}》有关规定，现将巡察整改情况予以公布。")
    return "".join(parts)


def _period(inspection: NoticeInspection) -> str:
    """2023年10月13日至11月17日: the end inherits the start's year, as the seed writes it."""
    if not inspection.start:
        return ""
    start = dt.date.fromisoformat(inspection.start)
    if not inspection.end:
        return cn_date(start)
    end = dt.date.fromisoformat(inspection.end)
    end_text = f"{end.month}月{end.day}日" if end.year == start.year else cn_date(end)
    return f"{cn_date(start)}至{end_text}"


def closing(contacts: Contacts) -> str:
    """The invitation to supervise and the contacts (条例 2017 art. 32: phone, post, e-mail)."""
    ways = [f"电话{phone}" for phone in contacts.phones]
    ways += [f"通信地址{box}" for box in contacts.post_boxes]
    ways += [f"电子信箱{email}" for email in contacts.emails]
    ways += [f"网址{site}" for site in contacts.websites]
    if not ways:
        return SUPERVISION_INVITATION
    return f"{SUPERVISION_INVITATION}联系方式：{'；'.join(ways)}。"


def aspect_heading(aspect: Aspect) -> str:
    """一、…方面存在的问题及整改情况 (the parser strips the suffix again)."""
    title = aspect.title.rstrip("。；;，, ")
    suffix = "存在的问题及整改情况" if title.endswith("方面") else "方面存在的问题及整改情况"
    return f"{cn_number(aspect.no)}、{title}{suffix}"


def _aspect(doc: OfficialDocument, aspect: Aspect) -> None:
    doc.heading(1, aspect_heading(aspect))
    for problem in aspect.problems:
        _problem(doc, problem)


def _problem(doc: OfficialDocument, problem: Problem) -> None:
    if problem.implicit:
        # The notice skipped the level (the seed's aspect 四): the finding is a plain paragraph.
        doc.body(problem.title)
    else:
        doc.heading(2, f"（{cn_number(problem.no)}）{_sentence(problem.title)}")
    if problem.description:
        doc.body(problem.description)
    if problem.measures:
        doc.body("整改情况：")
    for measure in problem.measures:
        doc.body(f"{measure.no}.{measure.text}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else f"{text}。"

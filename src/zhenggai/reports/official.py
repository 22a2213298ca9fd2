"""The one official text of the 整改情况通报: the paragraphs the .docx, the public page and the
published ``notice.txt`` are all rendered from (no Django needed).

Before this, the web text came from ``notice.formats.render_text`` and lost the 依据 sentence
and the closing call for supervision that the .docx had; now every rendering walks the same
``NoticeText``, so a reader comparing the downloaded .docx with the page sees the same words.

A ledger inspection becomes a ``Notice`` in ``zhenggai.reports.ledger.public_notice`` (which
leaves out confidential problems and never reads internal progress notes);
``official_notice`` below is that notice as text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from zhenggai.notice.model import Aspect, Contacts, Notice, Problem
from zhenggai.notice.model import Inspection as NoticeInspection
from zhenggai.reports.gbt9704 import cn_date, cn_number

DEFAULT_TITLE = "关于巡察整改情况的通报"
DEFAULT_BASIS = "中国共产党巡视工作条例"
SUPERVISION_INVITATION = (
    "欢迎广大党员干部群众对巡察整改落实情况进行监督。如有意见和建议，请及时向我们反映。"
)

# issuer/title: the title block; aspect: 一、…; problem: （一）…; body: everything else.
Kind = Literal["issuer", "title", "aspect", "problem", "body"]


@dataclass(frozen=True)
class Paragraph:
    kind: Kind
    text: str


@dataclass
class NoticeText:
    """The notice as the paragraphs every rendering shows, in order."""

    paragraphs: list[Paragraph] = field(default_factory=list)

    def add(self, kind: Kind, text: str) -> None:
        self.paragraphs.append(Paragraph(kind, text))

    @property
    def head(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind in ("issuer", "title")]

    @property
    def content(self) -> list[Paragraph]:
        """What follows the title block: the page's and the document's body."""
        return [p for p in self.paragraphs if p.kind not in ("issuer", "title")]

    def as_text(self) -> str:
        """The plain text (``notice.txt``): the title block, a blank line, one line a paragraph
        — the shape ``zhenggai.notice.parse`` reads back into the same tree."""
        head = [p.text for p in self.head]
        body = [p.text for p in self.content]
        return "\n".join([*head, "", *body]) + "\n"

    def to_json(self) -> list[list[str]]:
        return [[p.kind, p.text] for p in self.paragraphs]


def notice_text(notice: Notice) -> NoticeText:
    """The notice's official paragraphs: title block, 依据 opening, aspects with what was done,
    the call for supervision with the contacts."""
    text = NoticeText()
    if notice.issuer:
        text.add("issuer", notice.issuer)
    text.add("title", notice.title or DEFAULT_TITLE)
    text.add("body", opening(notice))
    for paragraph in filter(None, notice.preamble.split("\n")):
        text.add("body", paragraph)
    for aspect in notice.aspects:
        _aspect(text, aspect)
    text.add("body", closing(notice.contacts))
    return text


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


def _aspect(text: NoticeText, aspect: Aspect) -> None:
    text.add("aspect", aspect_heading(aspect))
    for problem in aspect.problems:
        _problem(text, problem)


def _problem(text: NoticeText, problem: Problem) -> None:
    if problem.implicit:
        # The notice skipped the level (the seed's aspect 四): the finding is a plain paragraph.
        text.add("body", problem.title)
    else:
        text.add("problem", f"（{cn_number(problem.no)}）{_sentence(problem.title)}")
    if problem.description:
        text.add("body", problem.description)
    if problem.measures:
        text.add("body", "整改情况：")
    for measure in problem.measures:
        text.add("body", f"{measure.no}.{measure.text}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；")) else f"{text}。"

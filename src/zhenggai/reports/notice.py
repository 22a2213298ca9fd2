"""The public 整改情况通报 as a GB/T 9704 document, rendered from its official text.

The words come from ``zhenggai.reports.official.notice_text`` — the same paragraphs the public
page and ``notice.txt`` show; this module only lays them out (title lines, headings, body).
``zhenggai.notice.parse`` reads the result back into the same tree (the round-trip test holds
the two together).
"""

from __future__ import annotations

import datetime as dt

from zhenggai.notice.model import Notice
from zhenggai.reports.gbt9704 import Letterhead, OfficialDocument
from zhenggai.reports.official import NoticeText, notice_text


def notice_document(notice: Notice, *, day: dt.date | None = None) -> OfficialDocument:
    """The notice as a GB/T 9704 document; ``day`` adds the issuer and date at the end."""
    return text_document(notice_text(notice), signer=notice.issuer or "", day=day)


def text_document(
    text: NoticeText,
    *,
    signer: str = "",
    day: dt.date | None = None,
    letterhead: Letterhead | None = None,
) -> OfficialDocument:
    """The official text laid out, under the unit's 版头 when it has one."""
    doc = OfficialDocument()
    if letterhead is not None:
        doc.letterhead(letterhead)
    for paragraph in text.head:
        doc.title(paragraph.text)
    doc.blank()
    content = text.content
    for index, paragraph in enumerate(content):
        if index == len(content) - 1:
            doc.blank()  # the call for supervision stands apart, as in the seed
        if paragraph.kind == "aspect":
            doc.heading(1, paragraph.text)
        elif paragraph.kind == "problem":
            doc.heading(2, paragraph.text)
        else:
            doc.body(paragraph.text)
    if day is not None:
        doc.signature(signer, day)
    return doc

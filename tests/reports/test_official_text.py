"""One official text: the .docx, the public page and notice.txt say the same paragraphs — the
依据 opening, what was done, the call for supervision and the contacts — and never a progress
note or a confidential problem."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from django.test import Client
from django.urls import reverse

from tests.reports.conftest import SECRET, World, docx_bytes, docx_part, w
from zhenggai.ledger.models import Inspection, Measure, ProgressNote
from zhenggai.public import publishing
from zhenggai.reports.documents import notice_document_for
from zhenggai.reports.ledger import official_notice

NOTE = "联络员内部记录：张某某的请假单还没补齐"
FIELD_NOTE = "进展备注：会议纪要待党组书记签字"


def _docx_paragraphs(inspection: Inspection) -> list[str]:
    body = docx_part(docx_bytes(notice_document_for(inspection)))
    texts = ["".join(t.text or "" for t in p.iter(w("t"))) for p in body.iter(w("p"))]
    return [text for text in texts if text.strip()]


def _page_paragraphs(slug: str) -> list[str]:
    html = Client().get(reverse("public:notice", kwargs={"slug": slug})).content.decode()
    article = html[html.index('<article class="public-notice">') : html.index("</article>")]
    found = re.findall(r"<(p|h1|h2|h3)( class=\"[^\"]*\")?>(.*?)</\1>", article, re.S)
    return [unescape(text) for tag, css, text in found if 'class="meta"' not in css]


def _with_notes(world: World, filled: Inspection) -> None:
    Measure.objects.filter(pk=world.measure_a2.pk).update(progress=FIELD_NOTE)
    ProgressNote.objects.create(
        measure=world.measure_a, text=NOTE, date=dt.date(2024, 2, 1), author=world["liaison"]
    )


def test_the_docx_the_page_and_the_text_say_the_same_paragraphs(
    world: World, filled: Inspection
) -> None:
    _with_notes(world, filled)
    publication = publishing.publish(filled, by=world["leader"])
    text = Client().get(reverse("public:notice_text", kwargs={"slug": publication.slug}))
    text_lines = [line for line in text.content.decode().splitlines() if line.strip()]
    docx = _docx_paragraphs(filled)
    assert docx == text_lines
    assert _page_paragraphs(publication.slug) == text_lines
    opening, closing = text_lines[2], text_lines[-1]
    assert "按照《中国共产党巡视工作条例》有关规定" in opening
    assert "区委第一巡察组对我单位开展了巡察" in opening
    assert closing.startswith("欢迎广大党员干部群众对巡察整改落实情况进行监督")
    assert "电话0371-22786227" in closing


def test_no_progress_note_and_no_confidential_problem_reaches_any_rendering(
    world: World, filled: Inspection
) -> None:
    _with_notes(world, filled)
    publication = publishing.publish(filled, by=world["leader"])
    page = Client().get(reverse("public:notice", kwargs={"slug": publication.slug}))
    renderings = {
        "docx": "\n".join(_docx_paragraphs(filled)),
        "page": page.content.decode(),
        "text": publication.text,
    }
    for name, rendered in renderings.items():
        for secret in (NOTE, FIELD_NOTE, SECRET, "配合纪检机关核查"):
            assert secret not in rendered, (name, secret)


def test_the_public_account_of_a_measure_is_its_content_and_what_was_done(
    world: World, filled: Inspection
) -> None:
    Measure.objects.filter(pk=world.measure_a.pk).update(completed_date=dt.date(2024, 1, 8))
    lines = [p.text for p in official_notice(filled).content]
    done = next(line for line in lines if line.startswith("1."))
    assert done == f"1.{world.measure_a.content}。已完成整改（2024年1月8日）。".replace(
        "。。", "。"
    )
    open_one = next(line for line in lines if line.startswith("2."))
    assert open_one.endswith("正在整改，完成时限2024年3月31日。")

"""The documents owed by the unit carry its 版头 (GB/T 9704 §7.2): the red 发文机关标志, the
发文字号 written 代字〔年〕序号号, 签发人 on the reports sent up (not on the notice), and the red
separator line; set by the unit's leader or liaison on a screen, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.reports.conftest import W, World, docx_bytes, docx_part, w
from zhenggai.documents import actions
from zhenggai.ledger.errors import NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Inspection
from zhenggai.reports import pdf
from zhenggai.reports.documents import (
    leader_report_document,
    notice_document_for,
    report_document,
)

MARK = "中共开封市龙亭区科协党组"
SETTINGS = {
    "organ_mark": MARK,
    "number_prefix": "汴科协文",
    "number_year": 2024,
    "next_number": 6,
    "signer": "张明",
}


@pytest.fixture
def headed(world: World, filled: Inspection) -> Inspection:
    actions.update_settings(filled, SETTINGS, by=world["liaison"])
    return filled


def _paragraphs(doc: object) -> list[tuple[object, str]]:
    body = docx_part(docx_bytes(doc))
    return [(p, "".join(t.text or "" for t in p.iter(w("t")))) for p in body.iter(w("p"))]


def _colours(paragraph: object) -> set[str]:
    return {c.get(w("val")) for c in paragraph.iter(w("color"))}  # type: ignore[attr-defined]


def _rule(paragraph: object) -> object | None:
    return paragraph.find(f"{{{W}}}pPr/{{{W}}}pBdr/{{{W}}}bottom")  # type: ignore[attr-defined]


def _head(doc: object) -> tuple[object, object]:
    """The mark's paragraph and the 发文字号's paragraph."""
    paragraphs = _paragraphs(doc)
    mark = next(p for p, text in paragraphs if text == MARK)
    number = next(p for p, text in paragraphs if "汴科协文" in text)
    return mark, number


def test_the_report_sent_up_has_mark_number_signer_and_red_line(headed: Inspection) -> None:
    for doc in (report_document(headed, day=dt.date(2024, 4, 1)), leader_report_document(headed)):
        mark, number = _head(doc)
        assert _colours(mark) == {"FF0000"}
        assert mark.find(f"{{{W}}}pPr/{{{W}}}jc").get(w("val")) == "center"  # type: ignore[attr-defined]
        fonts = {f.get(w("eastAsia")) for f in mark.iter(w("rFonts"))}  # type: ignore[attr-defined]
        assert fonts == {"方正小标宋简体"}
        text = "".join(t.text or "" for t in number.iter(w("t")))  # type: ignore[attr-defined]
        assert text == "\u3000汴科协文〔2024〕6号签发人：张明"
        # 签发人 sits on the right of the same line: a tab to a right-aligned tab stop.
        assert number.find(f"{{{W}}}r/{{{W}}}tab") is not None  # type: ignore[attr-defined]
        stops = number.find(f"{{{W}}}pPr/{{{W}}}tabs")  # type: ignore[attr-defined]
        assert stops is not None and stops[0].get(w("val")) == "right"
        rule = _rule(number)
        assert rule is not None and rule.get(w("color")) == "FF0000"  # type: ignore[attr-defined]
        assert number.find(f"{{{W}}}pPr/{{{W}}}ind") is None  # full text width  # type: ignore[attr-defined]
        # The mark comes first and the title follows the 版头.
        texts = [text for _, text in _paragraphs(doc) if text.strip()]
        assert texts[0] == MARK and texts[1].startswith("\u3000汴科协文")


def test_the_public_notice_has_its_head_without_a_signer(headed: Inspection) -> None:
    mark, number = _head(notice_document_for(headed))
    assert _colours(mark) == {"FF0000"}
    text = "".join(t.text or "" for t in number.iter(w("t")))  # type: ignore[attr-defined]
    assert text == "汴科协文〔2024〕6号" and "签发人" not in text
    assert number.find(f"{{{W}}}pPr/{{{W}}}jc").get(w("val")) == "center"  # type: ignore[attr-defined]
    assert _rule(number) is not None


def test_the_number_has_no_leading_zeros_and_no_di(world: World, filled: Inspection) -> None:
    actions.update_settings(filled, {**SETTINGS, "next_number": 12}, by=world["leader"])
    _, number = _head(report_document(filled))
    text = "".join(t.text or "" for t in number.iter(w("t")))  # type: ignore[attr-defined]
    assert "汴科协文〔2024〕12号" in text and "第" not in text and "〔2024〕012" not in text
    with pytest.raises(ValidationError):
        actions.update_settings(
            filled, {**SETTINGS, "number_prefix": "汴科协文〔"}, by=world["leader"]
        )


def test_without_settings_the_documents_have_no_head(filled: Inspection) -> None:
    texts = [text for _, text in _paragraphs(report_document(filled)) if text.strip()]
    assert texts[0].endswith("关于巡察整改情况的报告")


@pytest.mark.parametrize(
    ("persona", "error"),
    [("owner", PermissionDenied), ("office", PermissionDenied), ("other", NotFound)],
)
def test_only_the_units_leader_or_liaison_sets_the_head(
    world: World, filled: Inspection, persona: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        actions.update_settings(filled, SETTINGS, by=world[persona])


def test_the_screen_saves_the_head_audited(world: World, filled: Inspection) -> None:
    liaison = Client()
    liaison.force_login(world["liaison"])
    url = reverse("web:document_settings", kwargs={"pk": filled.pk})
    assert liaison.post(url, SETTINGS).status_code == 302
    page = liaison.get(url).content.decode()
    assert MARK in page and "汴科协文〔2024〕6号" in page and "张明" in page
    event = AuditEvent.objects.get(action="documents.settings")
    assert event.after["organ_mark"] == MARK and event.before is None
    office = Client()
    office.force_login(world["office"])
    assert office.get(url).status_code == 200
    assert office.post(url, SETTINGS).status_code == 403


@pytest.mark.slow
@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_the_pdf_shows_the_red_head_above_the_title(headed: Inspection, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    report_document(headed).save(str(tmp_path / "报告.docx"))
    document = pdfium.PdfDocument(str(pdf.to_pdf(tmp_path / "报告.docx", tmp_path / "报告.pdf")))
    try:
        page = document[0]
        text = page.get_textpage().get_text_range()
        text = text.replace(" ", "").replace("\r", "").replace("\n", "")
        assert text.index(MARK) < text.index("〔2024〕6号") < text.index("关于巡察整改情况的报告")
        assert "签发人：张明" in text
        image = page.render(scale=0.5).to_pil().convert("RGB")
        red = [xy for xy, (r, g, b) in _pixels(image) if r > 200 and g < 80 and b < 80]
        assert red, "the mark and the separator are red"
        # The separator: one row of red nearly as wide as the 156 mm text block.
        rows: dict[int, int] = {}
        for _x, y in red:
            rows[y] = rows.get(y, 0) + 1
        assert max(rows.values()) > image.width * 156 / 210 * 0.9
    finally:
        document.close()


def _pixels(image: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int, int]]]:
    pixels = image.load()
    for y in range(image.height):
        for x in range(image.width):
            yield (x, y), pixels[x, y]


def test_the_letterhead_screen_speaks_english_when_chosen(world: World, filled: Inspection) -> None:
    client = Client()
    client.force_login(world["leader"])
    client.post(reverse("web:set_language"), {"language": "en", "next": "/inspections/"})
    page = unescape(
        client.get(reverse("web:document_settings", kwargs={"pk": filled.pk})).content.decode()
    )
    for english in ("Document letterhead", "Issuing organ's mark", "Next serial number"):
        assert english in page
    assert "公文版头" not in page

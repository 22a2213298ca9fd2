"""The GB/T 9704 page set-up, read back from the .docx XML."""

from __future__ import annotations

import datetime as dt

from tests.reports.conftest import NS, docx_bytes, docx_part, w
from zhenggai.reports.gbt9704 import OfficialDocument, cn_date, cn_number, doc_number

MM = 1440 / 25.4  # twips per millimetre


def _sample() -> bytes:
    doc = OfficialDocument()
    doc.title("关于巡察整改情况的通报")
    doc.heading(1, "一、政治引领方面")
    doc.heading(2, "（一）理论学习有差距。")
    doc.heading(3, "1.标题")
    doc.heading(4, "（1）标题")
    doc.body("正文。")
    return docx_bytes(doc)


def _paragraph_font(paragraph: object) -> tuple[str, str, int]:
    run = paragraph.find("w:r", NS)  # type: ignore[attr-defined]
    fonts = run.find("w:rPr/w:rFonts", NS)
    size = int(run.find("w:rPr/w:sz", NS).get(w("val")))
    return fonts.get(w("eastAsia")), fonts.get(w("ascii")), size


def test_the_page_is_a4_with_the_standard_margins() -> None:
    sect = docx_part(_sample()).find(".//w:body/w:sectPr", NS)
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert abs(int(size.get(w("w"))) - 210 * MM) < 1
    assert abs(int(size.get(w("h"))) - 297 * MM) < 1
    for side, mm in {"top": 37, "bottom": 35, "left": 28, "right": 26}.items():
        assert abs(int(margins.get(w(side))) - mm * MM) < 1, side


def test_the_grid_has_22_lines_and_28_characters() -> None:
    grid = docx_part(_sample()).find(".//w:body/w:sectPr/w:docGrid", NS)
    pitch = int(grid.get(w("linePitch")))
    assert pitch * 22 <= 225 * MM < pitch * 23  # 22 lines fill the 225 mm block
    char_pitch_pt = 16 + int(grid.get(w("charSpace"))) / 4096
    assert abs(char_pitch_pt * 28 - 156 / 25.4 * 72) < 0.1  # 28 characters fill 156 mm


def test_body_runs_are_condensed_to_28_characters_a_line() -> None:
    body = docx_part(_sample()).findall(".//w:body/w:p", NS)[-1]
    spacing = int(body.find("w:r/w:rPr/w:spacing", NS).get(w("val")))
    assert 28 * (16 + spacing / 20) <= 156 / 25.4 * 72 < 29 * (16 + spacing / 20)


def test_title_headings_and_body_have_their_fonts_for_east_asian_text() -> None:
    paragraphs = docx_part(_sample()).findall(".//w:body/w:p", NS)
    fonts = [_paragraph_font(p) for p in paragraphs]
    assert fonts == [
        ("方正小标宋简体", "方正小标宋简体", 44),
        ("黑体", "黑体", 32),
        ("楷体_GB2312", "楷体_GB2312", 32),
        ("仿宋_GB2312", "仿宋_GB2312", 32),
        ("仿宋_GB2312", "仿宋_GB2312", 32),
        ("仿宋_GB2312", "仿宋_GB2312", 32),
    ]
    assert paragraphs[0].find("w:pPr/w:jc", NS).get(w("val")) == "center"


def test_body_first_line_is_indented_two_characters() -> None:
    body = docx_part(_sample()).findall(".//w:body/w:p", NS)[-1]
    indent = body.find("w:pPr/w:ind", NS)
    assert indent.get(w("firstLineChars")) == "200"
    assert indent.get(w("firstLine")) == "640"  # 2 × 16 pt in twips


def _footers(data: bytes) -> dict[str, object]:
    document = docx_part(data)
    rels = docx_part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    refs = document.findall(".//w:body/w:sectPr/w:footerReference", NS)
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {ref.get(w("type")): docx_part(data, f"word/{targets[ref.get(r_id)]}") for ref in refs}


def test_page_numbers_are_a_page_field_right_on_odd_and_left_on_even_pages() -> None:
    data = _sample()
    settings = docx_part(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    footers = _footers(data)
    expected = {"default": ("right", "right"), "even": ("left", "left")}
    for kind, (align, side) in expected.items():
        paragraph = footers[kind].find("w:p", NS)  # type: ignore[attr-defined]
        assert paragraph.find("w:pPr/w:jc", NS).get(w("val")) == align
        assert paragraph.find("w:pPr/w:ind", NS).get(w(side)) == "280"  # 1 character of 14 pt
        assert paragraph.find(".//w:instrText", NS).text.strip() == "PAGE"
        text = "".join(paragraph.xpath(".//w:t/text()", namespaces=NS))
        assert text == "— 1 —"
        east_asia, _, size = _paragraph_font(paragraph)
        assert (east_asia, size) == ("宋体", 28)


def test_dates_and_document_numbers_follow_the_standard() -> None:
    assert cn_date(dt.date(2024, 5, 1)) == "2024年5月1日"
    assert doc_number("汴科协文", 2024, 6) == "汴科协文〔2024〕6号"
    assert [cn_number(n) for n in (1, 10, 11, 20, 21, 40)] == [
        "一", "十", "十一", "二十", "二十一", "四十",
    ]  # fmt: skip

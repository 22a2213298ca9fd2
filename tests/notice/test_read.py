"""notice.read: every variant is built here from the seed text, in tmp_path."""

from __future__ import annotations

import codecs
import io
import itertools
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from zhenggai.notice.read import SUPPORTED_SUFFIXES, ReadError, read

# --- plain text -------------------------------------------------------------------------

ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM and CRLF": lambda text: (
        codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    ),
    "utf-8 with CR": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_it_decodes_the_seed_in_each_encoding(
    tmp_path: Path, seed_text: str, encoding: str
) -> None:
    path = tmp_path / "通报.txt"
    path.write_bytes(ENCODINGS[encoding](seed_text))
    assert read(path) == seed_text


def test_it_accepts_a_path_as_str(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "通报.txt"
    path.write_bytes(seed_text.encode("gbk"))
    assert read(str(path)) == seed_text


def test_it_decodes_bytes_without_a_file_name(seed_text: str) -> None:
    assert read(seed_text.encode("gb18030")) == seed_text


def test_real_notice_openings_in_gb18030_come_back_unchanged(shared_dir: Path) -> None:
    openings = sorted((shared_dir / "fixtures" / "notices").glob("*.txt"))
    assert openings, "no notice openings in shared/fixtures/notices"
    for path in openings:
        text = path.read_text(encoding="utf-8")
        assert read(text.encode("gb18030"), filename=path.name) == text, path.name


def test_a_short_gbk_text_that_fools_detectors_is_read_as_gbk(tmp_path: Path) -> None:
    """charset-normalizer took these 12 bytes for UTF-16-BE; the decode chain does not guess."""
    data = "巡察整改通报".encode("gbk")
    (tmp_path / "短.txt").write_bytes(data)
    assert read(tmp_path / "短.txt") == "巡察整改通报"
    assert read(data) == "巡察整改通报"


def test_characters_beyond_gbk_come_through_gb18030() -> None:
    text = "𠀀龘€整改"  # a CJK Extension B character and the euro sign: GB18030 only
    assert read(text.encode("gb18030"), filename="a.txt") == text


def test_an_unknown_extension_is_sniffed_as_text(seed_text: str) -> None:
    assert read(seed_text.encode("gbk"), filename="通报.htm") == seed_text


def test_the_supported_suffixes_are_the_three_readable_types() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".docx", ".pdf"}


# --- Word -------------------------------------------------------------------------------

MEASURE_1 = "1.党组于2024年1月19日学习了《关于新时代进一步加强科学技术普及工作的意见》。"
MEASURE_2 = "2.党组加强理论学习，严格落实“第一议题”制度。"
MEASURE_3 = "3.制定了《区科协党组网络意识形态工作责任制实施方案》。"
MEASURE_4 = "4.成立了区科协网络意识形态工作领导小组。"


def _add_hyperlink(paragraph: docx.text.paragraph.Paragraph, text: str) -> None:
    """python-docx has no API for hyperlinks: write the w:hyperlink element by hand."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), "contacts")
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def _make_docx() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉：不应读出"
    document.sections[0].footer.paragraphs[0].text = "页脚：不应读出"
    document.add_paragraph("中共开封市龙亭区科协党组")
    document.add_paragraph("关于巡察整改情况的通报")
    document.add_paragraph("一、政治引领不突出方面存在的问题及整改情况")
    document.add_paragraph("（一）理论学习在学用结合上有差距。")
    document.add_paragraph("整改情况：")
    table = document.add_table(rows=5, cols=3)
    rows = [
        ("序号", "整改措施", "完成时间"),
        ("1", MEASURE_1, "2024年1月19日"),
        ("2", MEASURE_2, "2024年3月22日"),
    ]
    for cells, values in zip(table.rows, rows, strict=False):
        for cell, value in zip(cells.cells, values, strict=True):
            cell.text = value
    # Row 4: one cell with two measures as two paragraphs; its date cell is merged
    # vertically with row 5's, whose first two cells are merged horizontally.
    table.cell(3, 0).text = "3"
    table.cell(3, 1).text = MEASURE_3
    table.cell(3, 1).add_paragraph(MEASURE_4)
    table.cell(3, 2).merge(table.cell(4, 2)).text = "2024年2月"
    table.cell(4, 0).merge(table.cell(4, 1)).text = "合计4项"
    contacts = document.add_paragraph("联系方式：电子信箱")
    _add_hyperlink(contacts, "kfsltqkx@163.com")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_docx_gives_paragraphs_and_table_rows_in_document_order(tmp_path: Path) -> None:
    path = tmp_path / "通报.docx"
    path.write_bytes(_make_docx())
    assert read(path).split("\n") == [
        "中共开封市龙亭区科协党组",
        "关于巡察整改情况的通报",
        "一、政治引领不突出方面存在的问题及整改情况",
        "（一）理论学习在学用结合上有差距。",
        "整改情况：",
        "序号\t整改措施\t完成时间",
        f"1\t{MEASURE_1}\t2024年1月19日",
        f"2\t{MEASURE_2}\t2024年3月22日",
        # A cell with two paragraphs: the row is written cell by cell, one measure a line.
        "3",
        MEASURE_3,
        MEASURE_4,
        "2024年2月",
        # Merged cells appear once: the horizontal merge here, the vertical one above.
        "合计4项",
        "联系方式：电子信箱kfsltqkx@163.com",
    ]


def test_a_docx_is_recognised_by_content_without_a_name() -> None:
    assert read(_make_docx()).startswith("中共开封市龙亭区科协党组\n")


# --- PDF --------------------------------------------------------------------------------

FONT = "STSong-Light"
FONT_SIZE = 16  # 三号, the size of 公文 body text
LEFT, TOP, BOTTOM = 80, 780, 90  # A4 with equal left and right margins, as 公文 and office use
LINE_WIDTH = A4[0] - 2 * LEFT  # about 27 CJK characters
LINE_HEIGHT = 1.75 * FONT_SIZE
CJK = r"[\u4e00-\u9fff]"
# The CID font every PDF viewer has built in: no font file needed.
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _width(text: str) -> float:
    return pdfmetrics.stringWidth(text, FONT, FONT_SIZE)


def _as_pdf_writes_it(paragraph: str) -> str:
    """LibreOffice's PDFs put spaces between digits and CJK characters."""
    return re.sub(rf"(?<=\d)(?={CJK})|(?<={CJK})(?=\d)", " ", paragraph)


def _wrap(paragraph: str, *, indent: float) -> list[tuple[str, float, bool]]:
    """A paragraph laid out as a word processor does: (text, x, justified) for each line.

    Lines break wherever the next character would cross the right margin, mid-word and
    mid-date included; every line but the last is justified to the margin.
    """
    lines, current, x = [], "", LEFT + indent
    for char in paragraph:
        if current and x + _width(current + char) > LEFT + LINE_WIDTH:
            lines.append((current.rstrip(), x, True))
            current, x = char.lstrip(), LEFT
        else:
            current += char
    return [*lines, (current, x, False)]


def _layout(paragraphs: list[tuple[str, str]]) -> list[tuple[str, float, bool]]:
    """Paragraphs (text, "center" | "indent" | "flush") → lines placed as in a 公文."""
    placed = []
    for text, style in paragraphs:
        if style == "center":
            placed.append((text, LEFT + (LINE_WIDTH - _width(text)) / 2, False))
        else:
            indent = 2 * FONT_SIZE if style == "indent" else 0
            placed += _wrap(_as_pdf_writes_it(text), indent=indent)
    return placed


def _make_pdf(placed: list[tuple[str, float, bool]], *, lines_per_page: int = 30) -> bytes:
    """Placed lines on A4 pages, each page numbered at its foot (— 1 —)."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=A4)
    for page, first in enumerate(range(0, len(placed), lines_per_page), start=1):
        document.setFont(FONT, FONT_SIZE)
        for row, (text, x, justified) in enumerate(placed[first : first + lines_per_page]):
            # pdfium finds no text in a string of one character of this (non-embedded) CID
            # font; real PDFs embed their fonts and do not have the problem.
            assert len(text) > 1, "a one-character line would vanish from the PDF"
            room = LEFT + LINE_WIDTH - x - _width(text)
            spacing = room / (len(text) - 1) if justified and len(text) > 1 else 0
            document.drawString(x, TOP - row * LINE_HEIGHT, text, charSpace=spacing)
        document.drawCentredString(A4[0] / 2, BOTTOM / 2, f"— {page} —")
        document.showPage()
    document.save()
    return buffer.getvalue()


def _seed_paragraphs(seed_text: str) -> list[tuple[str, str]]:
    """The seed's title, opening, first problem and aspect 四, styled as a 公文 lays them out."""
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    fourth = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    body = lines[2:9] + lines[fourth : fourth + 2]
    # Aspect 四's heading is set flush left: its 27 characters fill the line to the margin.
    styles = ["flush" if line.startswith("四、") else "indent" for line in body]
    return [(lines[0], "center"), (lines[1], "center"), *zip(body, styles, strict=True)]


def test_a_pdf_comes_back_as_its_paragraphs(tmp_path: Path, seed_text: str) -> None:
    paragraphs = _seed_paragraphs(seed_text)
    placed = _layout(paragraphs)
    lines_per_page = 12
    # What the layout does that the repair must undo or leave alone: a date broken
    # between lines, a sentence broken across pages, a heading that fills its line.
    texts = [text for text, _, _ in placed]
    assert any(a.endswith("2023") and b.startswith("年") for a, b in itertools.pairwise(texts))
    assert not texts[lines_per_page - 1].endswith("。")
    assert "四、对巡察发现的问题整改不到位方面存在的问题及整改情况" in texts
    path = tmp_path / "通报.pdf"
    path.write_bytes(_make_pdf(placed, lines_per_page=lines_per_page))
    expected = "\n".join(text for text, _ in paragraphs)
    # A PDF cannot tell an author's space between two CJK characters from the ones its
    # text layer inserts: the repair drops both.
    expected = expected.replace("旗帜 奋力", "旗帜奋力")
    assert read(path) == expected


def test_a_pdf_with_bytes_before_its_header_is_still_a_pdf() -> None:
    data = b"\r\n" + _make_pdf(_layout([("巡察整改情况", "flush")]))
    assert read(data, filename="通报.pdf") == "巡察整改情况"


def test_the_pdf_repair_keeps_short_lines_without_punctuation_apart() -> None:
    placed = _layout([("巡察整改情况", "flush"), ("2024年1月", "flush")])
    assert read(_make_pdf(placed)) == "巡察整改情况\n2024年1月"


def test_a_pdf_without_a_text_layer_is_reported_as_scanned(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(72, 72, 300, 400, fill=1)
    page.showPage()
    page.save()
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(buffer.getvalue())
    message = _read_error(path)
    assert "扫描" in message
    assert "OCR" in message


# --- what cannot be read ----------------------------------------------------------------

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _empty_docx() -> bytes:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _read_error(path: Path) -> str:
    """The ReadError's message, checked to be one line of Chinese naming the file."""
    with pytest.raises(ReadError) as caught:
        read(path)
    message = str(caught.value)
    assert path.name in message
    assert re.search(r"[\u4e00-\u9fff]{4}", message)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("空.txt", b"", "文件是空的"),
        ("空.docx", b"", "文件是空的"),
        ("无字.docx", _empty_docx(), "文件是空的"),
        ("空白.txt", b"  \r\n\t\n\xe3\x80\x80\n", "文件是空的"),
        ("空白16.txt", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "文件是空的"),
        ("随机.bin", random.Random(7).randbytes(4096), "不是文本文件"),
        ("乱码.txt", b"\x80\xff" * 20, "编码"),
        ("无BOM.txt", "巡察整改 2024".encode("utf-16-le"), "不是文本文件"),  # UTF-16 only by BOM
        ("材料.zip", _zip({"通报.txt": "巡察".encode()}), "压缩包"),
        ("假的.docx", _zip({"通报.txt": "巡察".encode()}), ".docx"),
        ("台账.xlsx", _zip({"xl/workbook.xml": b"<workbook/>"}), "Excel"),
        ("截断.docx", _make_docx()[:2000], "损坏"),
        (
            "坏的.docx",
            _zip({"word/document.xml": b"<w:document", "[Content_Types].xml": b"<"}),
            "损坏",
        ),
        ("通报.doc", OLE_HEADER, "另存为 .docx 或 .txt"),
        ("通报.wps", OLE_HEADER, "WPS"),
        ("加密.docx", OLE_HEADER, "密码"),
        ("无名", OLE_HEADER, "旧版 Office 或 WPS"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "图片"),
        ("改名.pdf", "巡察整改".encode(), "不是有效的 .pdf"),
        ("坏的.pdf", b"%PDF-1.7\n" + random.Random(3).randbytes(300), "损坏"),
    ],
)
def test_what_cannot_be_read_is_a_chinese_read_error(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert expected in _read_error(path)


@pytest.mark.parametrize(
    ("field", "offset"),
    [("compression method", 10), ("version needed to extract", 6)],
)
def test_a_docx_using_zip_features_zipfile_lacks_is_a_read_error(
    tmp_path: Path, field: str, offset: int
) -> None:
    data = bytearray(_make_docx())
    # Set the field to 99 in every central directory entry: method 99 is AES encryption,
    # version 9.9 is beyond what zipfile implements.
    for entry in re.finditer(b"PK\x01\x02", data):
        data[entry.start() + offset : entry.start() + offset + 2] = (99).to_bytes(2, "little")
    path = tmp_path / "加密.docx"
    path.write_bytes(data)
    assert "损坏" in _read_error(path), field


def test_the_old_doc_message_names_the_type(tmp_path: Path) -> None:
    path = tmp_path / "通报.doc"
    path.write_bytes(OLE_HEADER)
    assert "Word 文档（.doc）" in _read_error(path)


def test_a_missing_file_is_a_read_error(tmp_path: Path) -> None:
    assert "找不到" in _read_error(tmp_path / "没有这个文件.txt")


def test_a_folder_is_a_read_error(tmp_path: Path) -> None:
    folder = tmp_path / "通报目录"
    folder.mkdir()
    assert "文件夹" in _read_error(folder)


def test_bytes_without_a_name_give_a_message_without_a_name() -> None:
    with pytest.raises(ReadError, match=r"^文件是空的"):
        read(b"")


_DOCX_BYTES = _make_docx()
_PDF_BYTES = _make_pdf(_layout([("中共开封市龙亭区科协党组", "center"), ("整改情况：", "indent")]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_docx_or_pdf_never_escapes_as_a_library_error(data: st.DataObject) -> None:
    original = data.draw(st.sampled_from([_DOCX_BYTES, _PDF_BYTES]))
    cut = data.draw(st.integers(1, len(original)))
    damaged = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    try:
        assert isinstance(read(bytes(damaged)), str)
    except ReadError as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc))

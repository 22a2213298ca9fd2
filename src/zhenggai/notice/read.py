"""Bytes or a file → the notice's text (.txt in any common Chinese encoding, .docx, .pdf).

The type comes from the content's magic bytes first and the file name's extension second.
Anything that cannot be read raises :class:`ReadError` with one line of Chinese telling the
user what is wrong and what to do; details go to the log in English.
"""

from __future__ import annotations

import codecs
import io
import itertools
import logging
import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from zhenggai.notice.numerals import CIRCLED, CN_ORDINAL_CHARS, PARENTHESIZED
from zhenggai.notice.zipguard import DEFAULT_LIMITS, ZipLimitError, ZipLimits, check_zip, too_large

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")


class ReadError(Exception):
    """The file cannot be read as a notice; the message (Chinese) says what to do."""


def read(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    limits: ZipLimits = DEFAULT_LIMITS,
) -> str:
    """The notice's text with ``\\n`` line ends and no NUL characters.

    ``source`` is a path or the file's bytes; ``filename`` names the bytes (its extension
    helps when the content is ambiguous) or overrides the name shown in messages. A file
    larger than ``limits`` allow, or a zip package (.docx) inflating beyond them, is refused
    before anything parses it.
    """
    if isinstance(source, bytes):
        data, name = source, filename
    else:
        data, name = _load(Path(source), limits), filename or Path(source).name
    if len(data) > limits.max_file_bytes:
        raise _refused(name, too_large(len(data), limits))
    if not data.strip():  # before sniffing: an empty .docx is empty, not damaged
        raise _empty(name)
    if data.startswith(b"PK\x03\x04"):
        _check_package(data, name, limits)
    kind = _sniff(data, name)
    log.debug("reading %s as %s (%d bytes)", name or "<bytes>", kind, len(data))
    if kind == ".pdf":
        text = _read_pdf(data, name)
    elif kind == ".docx":
        text = _read_docx(data, name)
    else:
        text = _decode_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not text.strip():
        raise _empty(name)
    return text


def _fail(name: str | None, problem: str, action: str) -> ReadError:
    """A ReadError reading "“name”：problem，action。"."""
    who = f"“{name}”：" if name else ""
    return ReadError(f"{who}{problem}，{action}。")


def _empty(name: str | None) -> ReadError:
    return _fail(name, "文件是空的", "请确认选对了文件")


def _refused(name: str | None, exc: ZipLimitError) -> ReadError:
    log.warning("refused %s: %s", name or "<bytes>", exc.detail)
    who = f"“{name}”：" if name else ""
    return ReadError(f"{who}{exc}。")


def _check_package(data: bytes, name: str | None, limits: ZipLimits) -> None:
    """Refuse a zip bomb before python-docx (or the sniffing below) inflates any of it."""
    try:
        check_zip(data, limits)
    except ZipLimitError as exc:
        raise _refused(name, exc) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # Damaged, or encrypted: the sniffing below says which, in the user's terms.
        log.debug("zip check of %s failed: %r", name or "<bytes>", exc)


def _load(path: Path, limits: ZipLimits) -> bytes:
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes and path.is_file():
            raise _refused(path.name, too_large(size, limits))
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise _fail(path.name, "找不到这个文件", f"请检查路径 {path}") from exc
    except IsADirectoryError as exc:
        raise _fail(path.name, "这是一个文件夹", "请选择通报文件（.txt、.docx 或 .pdf）") from exc
    except OSError as exc:
        log.warning("cannot read %s: %s", path, exc)
        raise _fail(path.name, "无法打开文件", "请检查文件权限或是否被其他程序占用") from exc


# --- type detection ---------------------------------------------------------------------

_SAVE_AS = "请另存为 .docx 或 .txt 后再导入"
_OCR = "请先做文字识别（OCR），或提供 .docx、.txt 格式的通报"
_UNZIP = "请先解压，再导入其中的通报文件（.txt、.docx 或 .pdf）"
_COPY_TEXT = "请把通报正文复制到 Word 或记事本，另存为 .docx 或 .txt 后再导入"

# What to do when a file that should be Word or PDF turns out damaged.
_REEXPORT = {
    ".docx": "请用 Word 或 WPS 重新保存为 .docx，或另存为 .txt 后再导入",
    ".pdf": "请重新导出 PDF，或提供 .docx、.txt 格式的通报",
}

# Types people send instead of a notice: what to call them and what to do instead.
_UNSUPPORTED: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word 文档（.doc）", _SAVE_AS),
    ".wps": ("WPS 文字文档（.wps）", _SAVE_AS),
    ".ole": ("旧版 Office 或 WPS 文档", _SAVE_AS),
    ".encrypted": ("设有打开密码的 Office 文档", "请去除密码后另存为 .docx 或 .txt 再导入"),
    ".rtf": ("RTF 文档", _SAVE_AS),
    ".odt": ("OpenDocument 文档（.odt）", _SAVE_AS),
    ".ofd": ("OFD 版式文件", "请用 OFD 阅读器另存为 PDF，或提供 .docx、.txt 格式的通报"),
    ".xls": ("旧版 Excel 表格（.xls）", _COPY_TEXT),
    ".et": ("WPS 表格（.et）", _COPY_TEXT),
    ".xlsx": ("Excel 表格（.xlsx）", _COPY_TEXT),
    ".ppt": ("旧版 PowerPoint 演示文稿（.ppt）", _COPY_TEXT),
    ".dps": ("WPS 演示文稿（.dps）", _COPY_TEXT),
    ".pptx": ("PowerPoint 演示文稿（.pptx）", _COPY_TEXT),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"), ("图片", _OCR)),
    **dict.fromkeys((".zip", ".rar", ".7z", ".gz"), ("压缩包", _UNZIP)),
}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .wps, .xls, .et, .ppt
_OLE_SUFFIXES = (".doc", ".wps", ".xls", ".et", ".ppt", ".dps")

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"{\\rtf", ".rtf"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"II*\x00", ".tif"),
    (b"MM\x00*", ".tif"),
    (b"Rar!\x1a\x07", ".rar"),
    (b"7z\xbc\xaf\x27\x1c", ".7z"),
    (b"\x1f\x8b", ".gz"),
)

# Parts whose presence in a zip tells which kind of package it is.
_ZIP_MARKERS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", ".docx"),
    ("xl/workbook.xml", ".xlsx"),
    ("ppt/presentation.xml", ".pptx"),
    ("OFD.xml", ".ofd"),
    ("content.xml", ".odt"),
)


def _sniff(data: bytes, name: str | None) -> str:
    """The kind of file as an extension: ``.pdf``, ``.docx`` or ``.txt`` (raises for others)."""
    suffix = Path(name).suffix.lower() if name else ""
    kind = _kind_by_magic(data, name, suffix)
    if kind is None and suffix in _REEXPORT:
        # The name promises a PDF or Word file but the content is something else.
        raise _fail(name, f"文件内容不是有效的 {suffix} 文件（可能已损坏）", _REEXPORT[suffix])
    if kind is None:
        kind = suffix if suffix in _UNSUPPORTED else ".txt"
    if kind in _UNSUPPORTED:
        what, action = _UNSUPPORTED[kind]
        raise _fail(name, f"这是{what}，无法直接读取", action)
    return kind


def _kind_by_magic(data: bytes, name: str | None, suffix: str) -> str | None:
    # PDF readers accept the header anywhere in the first kilobyte, and some tools (mail
    # gateways, web exports) do put bytes before it.
    if b"%PDF-" in data[:1024]:
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name, suffix)
    if data.startswith(_OLE):
        if suffix in (".docx", ".xlsx", ".pptx"):
            return ".encrypted"  # Office wraps a password-protected package in OLE
        return suffix if suffix in _OLE_SUFFIXES else ".ole"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def _zip_kind(data: bytes, name: str | None, suffix: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        log.warning("broken zip container %s: %s", name, exc)
        if suffix == ".docx":
            raise _fail(name, "Word 文档已损坏或不完整", _REEXPORT[".docx"]) from exc
        raise _fail(
            name, "文件已损坏（不完整的 .docx 或压缩包）", "请重新获取文件后再导入"
        ) from exc
    kind = next((kind for part, kind in _ZIP_MARKERS if part in parts), ".zip")
    if kind == ".zip" and suffix == ".docx":
        raise _fail(name, "文件内容不是有效的 .docx 文件", _REEXPORT[".docx"])
    return kind


# --- plain text ---------------------------------------------------------------------------


def _decode_text(data: bytes, name: str | None) -> str:
    """Decode by a fixed chain, strict at each step: UTF-16 by its BOM, UTF-8, GB18030.

    A chain and not a guess: detectors (charset-normalizer, chardet) take a short GBK text
    for UTF-16; a strict UTF-8 decode almost never succeeds on GBK bytes, and GB18030
    (a superset of GBK and GB2312) is what Chinese government sites publish otherwise.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)  # this codec reads and drops the BOM
    elif b"\x00" in data:
        raise _fail(
            name, "这不是文本文件，也不是 .docx 或 .pdf", "请提供 .txt、.docx 或 .pdf 格式的通报"
        )
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            log.debug("%s is not %s: %s", name or "<bytes>", encoding, exc)
    raise _fail(
        name,
        "无法识别文字编码（已尝试 UTF-8、UTF-16、GB18030）",
        "请用记事本另存为 UTF-8 编码的 .txt 后再导入",
    )


# --- Word ---------------------------------------------------------------------------------

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

# Runs of a paragraph, including those inside hyperlinks, fields and tracked insertions;
# not deleted text, and not text boxes anchored in the paragraph (drawings, stamps).
_RUNS = ".//w:r[not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent)]"

# What python-docx and the zip/XML layers under it raise on a damaged package.
_DOCX_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,  # zipfile: a compression method or zip feature it lacks
    RuntimeError,  # zipfile: an encrypted part
    KeyError,
    ValueError,
    SyntaxError,  # lxml's XMLSyntaxError on a damaged part
)


def _read_docx(data: bytes, name: str | None) -> str:
    try:
        # python-docx reads and parses every part here; later steps only walk the XML.
        document = docx.Document(io.BytesIO(data))
    except _DOCX_ERRORS as exc:
        log.warning("python-docx cannot read %s: %r", name or "<bytes>", exc)
        raise _fail(name, "Word 文档已损坏，无法打开", _REEXPORT[".docx"]) from exc
    return "\n".join(_block_lines(document.element.body))


def _block_lines(container: Any) -> Iterator[str]:
    """Lines of the paragraphs and tables directly inside ``container``, in document order."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield from _paragraph_text(child).split("\n")
        elif child.tag == _TBL:
            yield from _table_lines(child)
        elif child.tag == _SDT:  # a content control wrapping paragraphs or tables
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _block_lines(content)


def _paragraph_text(paragraph: Any) -> str:
    return "".join(run.text for run in paragraph.xpath(_RUNS))


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.tr_lst:
        # A vertically merged cell repeats as "continue" cells in the rows below: skip those.
        cells = [list(_block_lines(tc)) for tc in row.tc_lst if tc.vMerge != "continue"]
        yield from _row_lines(cells)


def _row_lines(cells: list[list[str]]) -> list[str]:
    """A row whose cells hold one line each → one line, cells joined by a tab.

    A ledger row (序号, 整改措施, 时限, 状态) then stays together, so a measure keeps its
    deadline and status on its line. A cell with several lines (several measures, or a
    whole notice laid out in a one-cell table) keeps its line breaks and the row is
    written cell by cell, so two measures are never glued into one line.
    """
    filled = [lines for lines in ([ln for ln in cell if ln.strip()] for cell in cells) if lines]
    if all(len(lines) == 1 for lines in filled):
        return ["\t".join(lines[0] for lines in filled)] if filled else []
    return [line for lines in filled for line in lines]


# --- PDF ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PdfLine:
    text: str
    # The line runs to the right margin, so its line break may be the layout's, not the
    # author's.
    full: bool
    # The line starts right of the left margin: a paragraph's first line (公文 indent their
    # first lines by two characters) or a centred title.
    indented: bool


@dataclass
class _TextRow:
    """A line of a page as pdfium splits it, with the extent of its glyphs."""

    chars: list[str] = field(default_factory=list)
    left: float = math.inf
    right: float = 0.0
    height: float = 0.0  # the tallest glyph box: about the font size

    @property
    def text(self) -> str:
        return "".join(self.chars).strip()


def _read_pdf(data: bytes, name: str | None) -> str:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        log.warning("pdfium cannot open %s: %s", name or "<bytes>", exc)
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise _fail(name, "PDF 设有打开密码", "请去除密码后再导入") from exc
        raise _fail(name, "PDF 文件已损坏，无法打开", _REEXPORT[".pdf"]) from exc
    try:
        # Closing the document closes its pages too.
        lines = [line for index in range(len(pdf)) for line in _page_lines(pdf[index])]
    except pdfium.PdfiumError as exc:
        log.warning("pdfium cannot extract text from %s: %s", name or "<bytes>", exc)
        raise _fail(name, "PDF 文件已损坏，无法提取文字", _REEXPORT[".pdf"]) from exc
    finally:
        pdf.close()
    lines = [line for line in lines if not _PAGE_NUMBER.match(line.text)]
    if not lines:
        raise _fail(
            name,
            "PDF 中没有文字层，看起来是扫描件",
            "请先做文字识别（OCR），或提供 .docx、.txt 格式的通报",
        )
    return _remove_pdf_spaces(_join_broken_lines(lines))


def _page_lines(page: Any) -> list[_PdfLine]:
    """The page's non-empty lines, each marked whether it reaches either margin.

    The right margin is where the rightmost line ends or, when no line is that long, the
    mirror of the left margin: 公文 and office defaults have near-equal left and right
    margins, and a page of short lines (a title page) must not count its longest as full.
    """
    rows = [row for row in _text_rows(page) if row.text]
    if not rows:
        return []
    left = min(row.left for row in rows)
    right = max(*(row.right for row in rows), page.get_width() - left)
    return [
        _PdfLine(
            row.text,
            full=row.right >= right - 1.5 * row.height,
            indented=row.left >= left + row.height,
        )
        for row in rows
    ]


def _text_rows(page: Any) -> list[_TextRow]:
    textpage = page.get_textpage()
    try:
        rows = [_TextRow()]
        for index in range(textpage.count_chars()):
            char = _pdf_char(textpage, index)
            row = rows[-1]
            if char == "\n":
                rows.append(_TextRow())
            elif char and char != "\r":
                row.chars.append(char)
                if not char.isspace():
                    left, bottom, right, top = textpage.get_charbox(index, loose=True)
                    row.left, row.right = min(row.left, left), max(row.right, right)
                    row.height = max(row.height, top - bottom)
        return rows
    finally:
        textpage.close()


def _pdf_char(textpage: Any, index: int) -> str:
    """The character at ``index``; empty for NUL and code points Python cannot hold."""
    code = int(pdfium_c.FPDFText_GetUnicode(textpage, index))
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return chr(code)


# Page numbers as GB/T 9704 prints them (— 1 —) and as office suites do (1, 第1页 共3页).
_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*\d{1,4}[-—–－\s]*$|第\s*\d+\s*页(\s*[，,/]?\s*共\s*\d+\s*页)?$"
)
# Text ending a sentence, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[。；：！？;:!?][”’」』）)》]*$")
_OUTLINE_NUMBER = re.compile(
    rf"[{CN_ORDINAL_CHARS}]+、|[（(][{CN_ORDINAL_CHARS}]+[）)]"
    rf"|\d{{1,2}}(?:、|[.．](?!\d))|[（(]\d{{1,2}}[）)]|[{CIRCLED}{PARENTHESIZED}]"
)


def _join_broken_lines(lines: list[_PdfLine]) -> str:
    """Lines → text, re-joining lines that the PDF's layout broke in mid-sentence.

    A break is the layout's when the line does not end a sentence and the next line does
    not start with an outline number (一、 （一） 1. （1） ①): the text's rule. The layout adds
    two: the line runs to the right margin and the next line is not indented. They keep
    apart lines that end without punctuation: the issuer and title, a heading followed by
    a paragraph, even a heading that happens to fill its line.
    """
    parts = [lines[0].text]
    for line, following in itertools.pairwise(lines):
        broken = (
            line.full
            and not following.indented
            and not _SENTENCE_END.search(line.text)
            and not _OUTLINE_NUMBER.match(following.text)
        )
        parts.append(following.text if broken else "\n" + following.text)
    return "".join(parts)


_CJK = r"\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
# Spaces a PDF's text layer puts between CJK characters and digits ("2023 年 12 月").
_PDF_SPACES = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}0-9])|(?<=[0-9]) +(?=[{_CJK}])")


def _remove_pdf_spaces(text: str) -> str:
    return _PDF_SPACES.sub("", text)

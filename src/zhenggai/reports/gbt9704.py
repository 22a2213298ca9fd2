"""A python-docx document laid out to GB/T 9704-2012 (党政机关公文格式).

Every layout number lives here, named, with the arithmetic behind it; the document modules
only say *what* a paragraph is (title, heading of a level, body text, signature).

Fonts are written into each run for ASCII, hAnsi and East Asian text (``w:rFonts``):
python-docx sets only ``w:ascii``/``w:hAnsi``, and Word, WPS and LibreOffice choose the font
for Chinese characters from ``w:eastAsia`` alone. The font names are the GB ones the reader's
machine is expected to have; a PDF on a server maps them to installed CJK fonts (see
``zhenggai.reports.pdf``).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph

# --- the numbers (GB/T 9704-2012 §5.2 and §7) -----------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 37, 35
MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 28, 26
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

TWIPS_PER_MM = 1440 / 25.4  # a twip is 1/20 pt = 1/1440 inch
# Line pitch: 225 mm / 22 lines = 10.227 mm = 28.99 pt = 579.8 twips. Word stores whole
# twips; 579 (the value of the usual 公文 templates) keeps 22 × 579 = 12738 twips inside the
# 12756-twip text block, where 580 would overflow it by 4 twips and give 21 lines.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM * TWIPS_PER_MM / LINES_PER_PAGE)  # 579
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 12  # 小四: tables may use a smaller size (§7.3.3 allows it for attachments/tables)
# Character pitch: 156 mm / 28 = 5.5714 mm = 15.793 pt. ``w:charSpace`` is the difference
# between that pitch and the default font size (16 pt, set in docDefaults below) in 1/4096 pt:
# (15.793 − 16) × 4096 = −847.9 → −848.
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_PT) * 4096)  # -848
# The grid type is "lines", not "linesAndChars": LibreOffice (which makes our PDFs) gives
# every 16 pt character two 15.8 pt grid cells under a character grid — 14 characters a line.
# So the 28 characters come from the runs instead: 3号 text is condensed by 0.25 pt
# (w:spacing −5 twips), 28 × 15.75 pt = 441 pt ≤ the 442.2 pt line, in Word, WPS and
# LibreOffice alike (−4 twips, 15.8 pt, would need 442.4 pt and give 27). ``w:charSpace``
# keeps the computed value so that switching the grid type to linesAndChars in Word is right.
GRID_TYPE = "lines"
BODY_CONDENSE_TWIPS = -5
# The page number's line sits 7 mm below the text block (§7.5): its top is 35 − 7 = 28 mm
# above the paper's edge; one 14 pt line is 4.94 mm, so the footer's bottom edge (what
# ``w:footer`` measures) is 28 − 4.94 ≈ 23 mm from the edge.
FOOTER_DISTANCE_MM = 23
HEADER_DISTANCE_MM = 15

# The 版头 (§7.2): the 发文机关标志 in red 小标宋, centred, its top 35 mm below the top of the
# text block (80 mm for an upward document, §10.1 — room for the receiving office's notes);
# the 发文字号 two lines below it; the red separator line 4 mm below the 发文字号, as wide as
# the text block. The mark's size is not fixed by the standard: 小初 (36 pt) keeps a 12-character
# organ name (中共开封市龙亭区科协党组, 432 pt) on one 442 pt line.
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = "FF0000"
ORGAN_MARK_PT = 36
MARK_TOP_MM, MARK_TOP_UPWARD_MM = 35, 80
SEPARATOR_GAP_PT = 11  # 4 mm = 11.3 pt; w:space is whole points (at most 31)
SEPARATOR_EIGHTHS = 8  # 1 pt: w:sz counts eighths of a point

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# Heading level → font: 一、 黑体, （一） 楷体, 1. and （1） 仿宋 (§7.3.3), all 3号.
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: BODY_FONT, 4: BODY_FONT}

CN_DIGITS = "〇一二三四五六七八九"
_R, _T = qn("w:r"), qn("w:t")


# --- formats -------------------------------------------------------------------------------


def cn_date(day: dt.date) -> str:
    """2024年5月1日: Arabic numerals, no leading zeros (§7.3.5.2)."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_number(agency: str, year: int, serial: int) -> str:
    """汴科协文〔2024〕6号: year in 六角括号, no 第, no leading zeros (§7.2.4)."""
    return f"{agency}〔{year}〕{serial}号"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, as heading numbers are written (up to 99)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Letterhead:
    """What a 版头 says: 发文机关标志, 发文字号 and, for an upward document, 签发人."""

    organ_mark: str
    number: str  # 汴科协文〔2024〕6号 (``doc_number``)
    signer: str | None = None  # set: an upward document (上行文), 签发人 on the number's line


# --- the document --------------------------------------------------------------------------


class OfficialDocument:
    """A blank A4 document with GB/T 9704 page set-up and paragraph helpers.

    >>> doc = OfficialDocument()
    >>> doc.title("关于巡察整改情况的通报")
    >>> doc.body("……")
    >>> doc.save("通报.docx")
    """

    def __init__(self) -> None:
        self.document: Any = docx.Document()
        self._prototypes: dict[tuple[str, float, Any, bool], Any] = {}
        self._set_defaults()
        self._set_page()
        self._set_page_numbers()

    def save(self, path: Any) -> None:
        self.document.save(path)

    # --- paragraphs ---

    def title(self, text: str) -> Any:
        """A line of the title (2号小标宋, centred); call once per line of a two-line title."""
        return self._paragraph(text, TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    def letterhead(self, head: Letterhead) -> None:
        """The 版头: red 发文机关标志, 发文字号 (with 签发人 for an upward document) and the red
        separator line, then two empty lines before the title (§7.2, §7.3.1)."""
        mark = self._paragraph(head.organ_mark, TITLE_FONT, ORGAN_MARK_PT)
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = mark.paragraph_format
        fmt.line_spacing = Pt(ORGAN_MARK_PT * 1.2)  # the 29 pt grid line would clip 36 pt
        top = MARK_TOP_UPWARD_MM if head.signer is not None else MARK_TOP_MM
        fmt.space_before = Mm(top)
        for run in mark.runs:
            run.font.color.rgb = RED
        self.blank()
        self.blank()
        self._number_line(head)
        self.blank()
        self.blank()

    def _number_line(self, head: Letterhead) -> Any:
        if head.signer is None:
            line = self._paragraph(head.number, BODY_FONT, BODY_PT)
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            # 发文字号 one character in from the left (a full-width space), 签发人 ending one
            # character in from the right (a right tab stop); no paragraph indents, so the
            # separator under this line keeps the full text width.
            line = self._paragraph(f"\u3000{head.number}", BODY_FONT, BODY_PT)
            right_edge = Mm(TEXT_WIDTH_MM) - Pt(BODY_PT)
            line.paragraph_format.tab_stops.add_tab_stop(right_edge, WD_TAB_ALIGNMENT.RIGHT)
            set_font(line.add_run("\t签发人："), BODY_FONT, BODY_PT)
            set_font(line.add_run(head.signer), KAITI, BODY_PT)
        _red_rule_below(line)
        return line

    def blank(self) -> Any:
        """An empty line of the grid (between title and body, before the signature)."""
        return self._paragraph("", BODY_FONT, BODY_PT)

    def heading(self, level: int, text: str) -> Any:
        """一、 (level 1), （一） (2), 1. (3), （1） (4): 3号, indented like the body."""
        return self._paragraph(text, HEADING_FONTS[level], BODY_PT, indent=True)

    def body(self, text: str, *, indent: bool = True) -> Any:
        """Body text: 3号仿宋, first line indented 2 characters."""
        return self._paragraph(text, BODY_FONT, BODY_PT, indent=indent)

    def addressee(self, text: str) -> Any:
        """主送机关: flush left, ending with a full-width colon."""
        return self._paragraph(text, BODY_FONT, BODY_PT)

    def signature(self, issuer: str, day: dt.date | None) -> None:
        """署名 and 成文日期, right-aligned, the date 4 characters in from the right (§7.3.5.2)."""
        self.blank()
        for text in (issuer, cn_date(day) if day else "　　年　　月　　日"):
            paragraph = self._paragraph(text, BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(4 * BODY_PT)

    def table(self, header: list[str], rows: list[list[str]], widths_mm: list[float]) -> Any:
        """A ruled table in 小四仿宋, header row repeated on each page."""
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            self._cell(cell, text, bold=True)
        _repeat_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                self._cell(cell, text)
        # Word reads the cells' widths, LibreOffice the table grid's (w:gridCol): set both.
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
        return table

    def _cell(self, cell: Any, text: str, *, bold: bool = False) -> None:
        paragraph = cell.paragraphs[0]
        _no_grid(paragraph)
        run = paragraph.add_run(text)
        set_font(run, HEITI if bold else BODY_FONT, TABLE_PT)

    def _paragraph(
        self, text: str, font: str, size: float, *, align: Any = None, indent: bool = False
    ) -> Any:
        """A paragraph copied from a formatted prototype of its kind.

        python-docx finds each new element's place by scanning the body's children, which makes
        adding paragraphs quadratic (0.6 s for a 40-problem notice); a deep copy of a finished
        prototype, put before the section properties, is linear and ten times faster.
        """
        key = (font, size, align, indent)
        if key not in self._prototypes:
            self._prototypes[key] = self._prototype(font, size, align, indent)
        p = copy.deepcopy(self._prototypes[key])
        if text:
            t = p.find(f"{_R}/{_T}")
            t.text = text
        else:
            p.remove(p.find(_R))
        self.document.element.body.sectPr.addprevious(p)
        return Paragraph(p, self.document._body)

    def _prototype(self, font: str, size: float, align: Any, indent: bool) -> Any:
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False  # a full 22-line page; no line pushed over for a widow
        # Exactly one grid line per line, whatever the renderer does with w:docGrid.
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
        if align is not None:
            paragraph.alignment = align
        elif indent:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _first_line_chars(paragraph, 2, size)
        set_font(paragraph.add_run("x"), font, size)
        paragraph._p.find(f"{_R}/{_T}").set(qn("xml:space"), "preserve")
        paragraph._p.getparent().remove(paragraph._p)
        return paragraph._p

    # --- page set-up ---

    def _set_defaults(self) -> None:
        """16 pt 仿宋 as the document default: ``w:charSpace`` is relative to this size."""
        styles = self.document.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_rfonts(rpr, BODY_FONT)
        rpr.get_or_add_sz().val = Pt(BODY_PT)
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(BODY_PT)
        _set_rfonts(normal.element.get_or_add_rPr(), BODY_FONT)

    def _set_page(self) -> None:
        section = self.document.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
        section.header_distance = Mm(HEADER_DISTANCE_MM)
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        grid = _child(section._sectPr, "w:docGrid")
        grid.set(qn("w:type"), GRID_TYPE)
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    def _set_page_numbers(self) -> None:
        """ "— 1 —" in 4号宋体: odd pages on the right, even pages on the left, 1 character in."""
        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        one_char = Pt(PAGE_NUMBER_PT)
        odd = _page_number_paragraph(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
        odd.paragraph_format.right_indent = one_char
        even = _page_number_paragraph(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
        even.paragraph_format.left_indent = one_char


# --- OXML helpers --------------------------------------------------------------------------


def set_font(run: Any, font: str, size: float, *, bold: bool = False) -> None:
    """Font and size of a run for ASCII, hAnsi and East Asian text; 3号 runs are condensed to
    the 28-character pitch (see ``GRID_TYPE``)."""
    run.font.size = Pt(size)
    run.font.bold = bold or None
    rpr = run._r.get_or_add_rPr()
    _set_rfonts(rpr, font)
    if size == BODY_PT:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_CONDENSE_TWIPS))
        rpr.insert_element_before(spacing, *_AFTER_RUN_SPACING)


def _set_rfonts(rpr: Any, font: str) -> None:
    # python-docx's get_or_add_* keep children in the schema's order, which Word insists on.
    rfonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), font)
    # Theme fonts override the named ones in Word: drop them.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)


def _child(parent: Any, tag: str) -> Any:
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _first_line_chars(paragraph: Any, chars: int, size: float) -> None:
    """First-line indent in characters (``w:firstLineChars``, hundredths of a character), with
    the same length in twips for renderers that ignore the character unit."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size * 20)))


# What may follow w:spacing in w:rPr (CT_RPr's sequence).
_AFTER_RUN_SPACING = (
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip

# What may follow w:snapToGrid in w:pPr (CT_PPrBase's sequence): Word rejects a file whose
# paragraph properties are out of order.
_AFTER_SNAP_TO_GRID = (
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _no_grid(paragraph: Any) -> None:
    """Table cells and footers keep their own line height instead of the 29 pt body grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().insert_element_before(snap, *_AFTER_SNAP_TO_GRID)


# What may follow w:pBdr in w:pPr (CT_PPrBase's sequence).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", *_AFTER_SNAP_TO_GRID,
)  # fmt: skip


def _red_rule_below(paragraph: Any) -> None:
    """The 版头's separator: a red bottom border of the 发文字号's paragraph, ``w:space`` points
    below its text. A border spans the paragraph between its indents, and the paragraph has
    none, so the line is as wide as the text block."""
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (
        ("w:val", "single"),
        ("w:sz", str(SEPARATOR_EIGHTHS)),
        ("w:space", str(SEPARATOR_GAP_PT)),
        ("w:color", RED_HEX),
    ):
        bottom.set(qn(name), value)
    pbdr.append(bottom)
    paragraph._p.get_or_add_pPr().insert_element_before(pbdr, *_AFTER_PBDR)


def _repeat_header(row: Any) -> None:
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)


def _page_number_paragraph(footer: Any, align: Any) -> Any:
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    _no_grid(paragraph)
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    _page_field(paragraph)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
    return paragraph


def _page_field(paragraph: Any) -> None:
    """A complex PAGE field: begin, instruction, separate, cached result, end (the cached "1"
    shows until the application updates fields, which Word, WPS and LibreOffice do on layout)."""
    parts: list[tuple[str, str | None]] = [
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ]
    for kind, text in parts:
        run = paragraph.add_run()
        set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_PT)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)

"""PDF through LibreOffice: page count and text layer (skipped where LibreOffice is missing),
and the Chinese message when it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhenggai.notice import Notice
from zhenggai.reports import pdf
from zhenggai.reports.notice import notice_document

needs_libreoffice = pytest.mark.skipif(
    pdf.soffice() is None, reason="LibreOffice (soffice) is not installed: " + pdf.INSTALL_HINT
)


@pytest.fixture(scope="module")
def seed_pdf(seed_notice: Notice, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pdf")
    notice_document(seed_notice).save(str(work / "通报.docx"))
    return pdf.to_pdf(work / "通报.docx", work / "通报.pdf")


@pytest.mark.slow
@needs_libreoffice
def test_the_seed_notice_fills_eight_pages_of_22_lines(seed_pdf: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(seed_pdf))
    try:
        # 8 pages at 28 characters × 22 lines; LibreOffice's own character grid (w:docGrid
        # linesAndChars) set 14 characters a line and made 13 pages of the same text.
        assert len(document) == 8
        page = document[0]
        width, height = page.get_size()
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
        text = page.get_textpage().get_text_range().replace(" ", "").replace("\r", "")
        assert "关于巡察整改情况的通报" in text
        assert "—1—" in text
    finally:
        document.close()


@pytest.mark.slow
@needs_libreoffice
def test_the_pdf_shows_the_text_on_the_page(seed_pdf: Path) -> None:
    """Render page 1 and look: the title block is inked, the margins are white."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(seed_pdf))
    try:
        image = document[0].render(scale=1).to_pil().convert("L")
    finally:
        document.close()
    per_mm = image.width / 210
    top_margin = image.crop((0, 0, image.width, int(30 * per_mm)))
    title_band = image.crop((0, int(37 * per_mm), image.width, int(60 * per_mm)))
    assert top_margin.getextrema()[0] > 250  # nothing printed above the text block
    assert title_band.getextrema()[0] < 100  # dark glyphs in the title lines


def test_a_missing_libreoffice_gives_a_clear_chinese_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(pdf.PdfUnavailable, match="未安装 LibreOffice"):
        pdf.to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")


def test_the_font_aliases_map_every_gb_font_to_a_free_cjk_font() -> None:
    conf = pdf.fontconfig_aliases()
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        assert f"<family>{name}</family><prefer>" in conf
    assert "Noto Serif CJK SC" in conf and "Noto Sans CJK SC" in conf
    assert "/etc/fonts/fonts.conf" in conf  # the system's fonts stay visible

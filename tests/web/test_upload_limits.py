"""Upload limits on the screens: a bomb or an oversized or disguised file gets one Chinese line
on the page (never a 500) and leaves nothing behind."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.bombs import EXE, MB, docx_bomb, xlsx_bomb
from tests.ledger.conftest import World
from zhenggai.ledger import excel
from zhenggai.ledger.models import AuditEvent, Evidence, Inspection, Measure

TOO_LARGE = "文件过大（2.1 MB），单个文件上限为 1 MB。"


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.ZHENGGAI_UPLOAD_MAX_MB = 1
    settings.ZHENGGAI_UNZIPPED_MAX_MB = 2


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _written() -> tuple[int, int, int, int, list[Path]]:
    root = Path(django_settings.MEDIA_ROOT)
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    counts = (AuditEvent.objects.count(), Evidence.objects.count(), Inspection.objects.count())
    return (*counts, Measure.objects.filter(version__gt=1).count(), files)


def _page_text(response: Any) -> str:
    return response.content.decode()


def test_a_docx_bomb_in_the_notice_import_is_one_line_on_the_form(world: World) -> None:
    client = _as(world, "office")  # logging in is audited: before counting
    before = _written()
    form = {"unit": world.unit_a.pk, "round": world.round.pk, "group": world.group.pk}
    upload = SimpleUploadedFile("通报.docx", docx_bomb(3))
    response = client.post(reverse("web:notice_import"), {**form, "file": upload})
    assert response.status_code == 200
    assert "“通报.docx”：文件解压后过大（超过 2 MB），可能是压缩炸弹，已拒收。" in _page_text(
        response
    )
    assert _written() == before


def test_an_xlsx_bomb_in_the_ledger_import_is_one_line_not_a_500(world: World) -> None:
    client = _as(world, "liaison")
    before = _written()
    url = reverse("web:ledger_import", kwargs={"pk": world.inspection_a.pk})
    upload = SimpleUploadedFile("台账.xlsx", xlsx_bomb(3))
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "文件解压后过大（超过 2 MB），可能是压缩炸弹，已拒收。" in _page_text(response)
    assert _written() == before


def test_an_oversized_upload_is_refused_by_the_form_unread(world: World) -> None:
    client = _as(world, "liaison")
    before = _written()
    url = reverse("web:ledger_import", kwargs={"pk": world.inspection_a.pk})
    upload = SimpleUploadedFile("台账.xlsx", b"PK\x03\x04" + b"\x00" * (2 * MB))
    response = client.post(url, {"file": upload})
    assert TOO_LARGE in _page_text(response)
    assert _written() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("会议纪要.pdf", EXE, "不支持的文件类型"),
        (
            "扫描件.pdf",
            b"%PDF-1.4\n" + b"0" * (2 * MB),
            "文件过大（2.1 MB），单个文件上限为 1 MB。",
        ),
    ],
)
def test_refused_evidence_is_a_message_and_no_file(
    world: World, name: str, content: bytes, message: str
) -> None:
    client = _as(world, "owner")
    before = _written()
    url = reverse("web:evidence_add", kwargs={"pk": world.measure_a.pk})
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert message in _page_text(response)
    assert _written() == before


def test_a_sheet_uploaded_to_a_temporary_file_is_imported(world: World, settings: Any) -> None:
    # Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE reach the import as a temporary file, read
    # in place (the form has already looked at it).
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    client = _as(world, "liaison")
    exported = client.get(reverse("web:ledger_export", kwargs={"pk": world.inspection_a.pk}))
    book = load_workbook(io.BytesIO(exported.getvalue()))
    book.worksheets[0].cell(excel.FIRST_ROW, excel.COL["整改进展"] + 1).value = "已完成一半"
    out = io.BytesIO()
    book.save(out)
    url = reverse("web:ledger_import", kwargs={"pk": world.inspection_a.pk})
    upload = SimpleUploadedFile("台账.xlsx", out.getvalue())
    response = client.post(url, {"file": upload}, follow=True)
    assert "台账已导入：修改 1 项整改措施" in _page_text(response)

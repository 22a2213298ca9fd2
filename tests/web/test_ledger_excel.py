"""The Excel ledger on the inspection page: download it, upload it back."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.conftest import World
from zhenggai.ledger import excel
from zhenggai.ledger.models import AuditEvent, Measure


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _export(client: Client, world: World) -> bytes:
    response = client.get(reverse("web:ledger_export", kwargs={"pk": world.inspection_a.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return response.getvalue()


def _edit(data: bytes, measure: Measure, header: str, value: object) -> bytes:
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    id_column = excel.COL["措施编号"] + 1
    for row in range(excel.FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, id_column).value == measure.pk:
            sheet.cell(row, excel.COL[header] + 1, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(client: Client, world: World, data: bytes) -> Any:
    url = reverse("web:ledger_import", kwargs={"pk": world.inspection_a.pk})
    return client.post(url, {"file": SimpleUploadedFile("台账.xlsx", data)}, follow=True)


def test_the_inspection_page_offers_export_and_import(world: World) -> None:
    url = reverse("web:inspection", kwargs={"pk": world.inspection_a.pk})
    liaison_page = _as(world, "liaison").get(url).content.decode()
    assert "导出台账（Excel）" in liaison_page
    assert "导入台账" in liaison_page
    observer_page = _as(world, "observer").get(url).content.decode()
    assert "导出台账（Excel）" in observer_page
    assert "导入台账" not in observer_page


def test_the_export_is_the_ledger_sheet(world: World) -> None:
    data = _export(_as(world, "office"), world)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[excel.HEADER_ROW]][:13] == list(excel.HEADERS[:13])
    assert sheet.max_row == excel.FIRST_ROW + 1  # two measures


def test_an_edited_sheet_comes_back_with_the_count(world: World) -> None:
    liaison = _as(world, "liaison")
    data = _edit(_export(liaison, world), world.measure_a, "整改进展", "已召开专题会议")
    page = _import(liaison, world, data)
    assert "台账已导入：修改 1 项整改措施，1 项未变。" in page.content.decode()
    assert Measure.objects.get(pk=world.measure_a.pk).progress == "已召开专题会议"
    assert AuditEvent.objects.filter(action="inspection.import_ledger").count() == 1


def test_every_bad_cell_is_shown_and_nothing_is_written(world: World) -> None:
    liaison = _as(world, "liaison")
    data = _edit(_export(liaison, world), world.measure_a, "整改进展", "这一格本来可以")
    data = _edit(data, world.measure_a, "整改类型", "马上改")
    data = _edit(data, world.measure_a2, "完成时限", "明年")
    page = _import(liaison, world, data).content.decode()
    assert "未导入任何内容" in page
    assert "第3行 I列（整改类型）" in page
    assert "第4行 H列（完成时限）" in page
    assert Measure.objects.get(pk=world.measure_a.pk).progress == ""


def test_a_file_that_is_not_a_sheet_is_refused(world: World) -> None:
    page = _import(_as(world, "liaison"), world, b"not a workbook").content.decode()
    assert "未导入任何内容" in page


def test_the_office_may_export_but_not_import(world: World) -> None:
    url = reverse("web:ledger_import", kwargs={"pk": world.inspection_a.pk})
    assert _as(world, "office").get(url).status_code == 403
    assert _as(world, "other").get(url).status_code == 404

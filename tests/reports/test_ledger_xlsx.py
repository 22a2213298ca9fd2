"""The Excel 台账 as a user opens it: title, frozen header, drop-downs, light fills, real dates;
read in chunks without mixing rows up; downloaded from the inspection page as a stream."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.conftest import World
from zhenggai.ledger import excel
from zhenggai.ledger.models import Evidence, EvidenceKind, Measure, MeasureStatus

TODAY = dt.date(2024, 3, 20)  # the inspection's feedback was on 2023-12-26
FILLS = {"FFFFC7CE": "red", "FFFFF2CC": "yellow", "FFE2EFDA": "green"}
VISIBLE = excel.COL["销号情况"] + 1  # columns A–M


def sheet_of(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data)).worksheets[0]


def rows_by_number(sheet: Any) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(excel.FIRST_ROW, sheet.max_row + 1)}


def colour_of(sheet: Any, row: int) -> str:
    """The fill of the row's visible cells, which must all be the same."""
    colours = {FILLS.get(sheet.cell(row, c).fill.fgColor.rgb, "?") for c in range(1, VISIBLE + 1)}
    assert len(colours) == 1, colours
    return colours.pop()


def add_measure(world: World, no: int, **fields: Any) -> Measure:
    return Measure.objects.create(
        inspection=world.inspection_a,
        problem=world.measure_a.problem,
        no=no,
        content=f"第{no}项措施",
        **fields,
    )


@pytest.fixture
def lights(world: World) -> dict[str, str]:
    """序号 → the light a user expects on ``TODAY``."""
    in_progress = MeasureStatus.IN_PROGRESS
    Measure.objects.filter(pk=world.measure_a.pk).update(
        status=in_progress, deadline=dt.date(2024, 3, 10)
    )
    Measure.objects.filter(pk=world.measure_a2.pk).update(
        status=in_progress, deadline=dt.date(2024, 3, 25)
    )
    add_measure(world, 3, status=in_progress, deadline=dt.date(2024, 6, 30))
    add_measure(world, 4, status=MeasureStatus.CLOSED, deadline=dt.date(2024, 3, 1))
    # Not started with two thirds of the time from feedback to deadline gone: behind plan.
    add_measure(world, 5, status=MeasureStatus.NOT_STARTED, deadline=dt.date(2024, 4, 30))
    add_measure(world, 6, status=in_progress, deadline=None)
    return {
        "1.1.1": "red",  # overdue
        "1.1.2": "yellow",  # due in 5 days
        "1.1.3": "green",  # months to go
        "1.1.4": "green",  # past its deadline but closed out
        "1.1.5": "yellow",  # behind plan
        "1.1.6": "green",  # no deadline
    }


def test_the_title_names_unit_inspection_and_export_date(world: World) -> None:
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    title = sheet["A1"].value
    assert title.startswith("龙亭区科协党组巡察整改台账（十四届区委第五轮巡察，区委第一巡察组）")
    assert "导出日期：2024年3月20日" in title
    assert "红色逾期" in title
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:M1"]
    assert sheet["A1"].font.b


def test_the_header_is_bold_and_frozen_with_the_first_columns(world: World) -> None:
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    header = [c.value for c in sheet[excel.HEADER_ROW]]
    assert header == list(excel.HEADERS)
    assert all(c.font.b for c in sheet[excel.HEADER_ROW])
    # Scrolling keeps the title, the header and 序号/方面/具体问题 in view.
    assert sheet.freeze_panes == "D3"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.column_dimensions["N"].hidden and sheet.column_dimensions["O"].hidden
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert sheet["D3"].alignment.wrap_text
    assert sheet.auto_filter.ref == "A2:M4"


def test_status_and_kind_columns_offer_drop_down_lists(world: World, lights: dict) -> None:
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    last = excel.FIRST_ROW + len(lights) - 1
    assert lists[f"K3:K{last}"] == '"未开始,整改中,已提交待验收,退回,阶段性完成,已销号"'
    assert lists[f"I3:I{last}"] == '"立行立改,限期整改,长期坚持"'
    allowed = lists[f"K3:K{last}"].strip('"').split(",")
    statuses = [sheet.cell(r, excel.COL["完成情况"] + 1).value for r in range(3, last + 1)]
    assert set(statuses) <= set(allowed)
    assert statuses[3] == "已销号"


def test_rows_are_filled_with_the_light_of_their_measure(world: World, lights: dict) -> None:
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    rows = rows_by_number(sheet)
    assert {number: colour_of(sheet, row) for number, row in rows.items()} == lights


def test_the_lights_follow_the_day_of_export(world: World, lights: dict) -> None:
    before = dt.date(2024, 1, 5)  # nothing due yet, nobody behind plan
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=before))
    assert {colour_of(sheet, row) for row in rows_by_number(sheet).values()} == {"green"}


def test_deadlines_are_real_excel_dates(world: World, lights: dict) -> None:
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    rows = rows_by_number(sheet)
    column = excel.COL["完成时限"] + 1
    cell = sheet.cell(rows["1.1.3"], column)
    assert cell.is_date and cell.value == dt.datetime(2024, 6, 30)
    assert cell.number_format == "yyyy-mm-dd"
    assert sheet.cell(rows["1.1.6"], column).value is None


def test_the_completion_date_shows_beside_the_close_out(world: World) -> None:
    Measure.objects.filter(pk=world.measure_a.pk).update(completed_date=dt.date(2024, 1, 8))
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    row = rows_by_number(sheet)["1.1.1"]
    assert sheet.cell(row, excel.COL["完成情况"] + 1).value == "未开始"
    assert sheet.cell(row, excel.COL["销号情况"] + 1).value == "未销号（2024-01-08完成）"


def test_confidential_problems_stay_in_the_internal_ledger_in_red(world: World) -> None:
    world.measure_a.problem.confidential = True
    world.measure_a.problem.save()
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["office"], today=TODAY))
    cell = sheet.cell(excel.FIRST_ROW, excel.COL["具体问题"] + 1)
    assert cell.value == excel.CONFIDENTIAL_MARK + "学习贯彻党的二十大精神不够深入"
    assert cell.font.color.rgb == "FFC00000"


def test_the_coloured_sheet_comes_back_without_changes(world: World, lights: dict) -> None:
    data = excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY)
    result = excel.import_ledger(world.inspection_a, data, by=world["liaison"])
    assert result.ok, result.messages()
    assert result.changed == [] and result.unchanged == len(lights)


def test_rows_read_in_chunks_keep_their_own_evidence(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(excel, "CHUNK_SIZE", 2)
    for no in range(3, 8):
        add_measure(world, no)
    for measure in Measure.objects.filter(inspection=world.inspection_a):
        Evidence.objects.create(
            measure=measure,
            kind=EvidenceKind.REFERENCE,
            title=f"第{measure.no}项会议纪要",
            uploaded_by=world["liaison"],
        )
    sheet = sheet_of(excel.export_ledger(world.inspection_a, by=world["liaison"], today=TODAY))
    rows = [
        (sheet.cell(r, 1).value, sheet.cell(r, excel.COL["佐证材料"] + 1).value)
        for r in range(excel.FIRST_ROW, sheet.max_row + 1)
    ]
    assert rows == [(f"1.1.{n}", f"《第{n}项会议纪要》") for n in range(1, 8)]


def test_the_inspection_page_streams_the_sheet(world: World) -> None:
    client = Client()
    client.force_login(world["observer"])
    response = client.get(reverse("web:ledger_export", kwargs={"pk": world.inspection_a.pk}))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6" in response["Content-Disposition"]  # 整改台账
    sheet = sheet_of(response.getvalue())
    assert [sheet.cell(r, 1).value for r in (3, 4)] == ["1.1.1", "1.1.2"]


def test_outsiders_get_no_download(world: World) -> None:
    client = Client()
    client.force_login(world["other"])
    response = client.get(reverse("web:ledger_export", kwargs={"pk": world.inspection_a.pk}))
    assert response.status_code == 404

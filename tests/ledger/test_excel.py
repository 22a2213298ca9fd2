"""The Excel ledger: export, edit in Excel, import back; bad cells reported, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter
from openpyxl import load_workbook

from zhenggai.ledger import actions, excel
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import AuditEvent, Measure, MeasureKind, Problem


def rows_of(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(min_row=1, values_only=True)]


def edit(data: bytes, edits: dict[tuple[int, str], object], drop_ids: bool = False) -> bytes:
    """Change cells given as (measure id, header) → value, as a user would in Excel."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    id_column = excel.COL["措施编号"] + 1
    row_of = {
        sheet.cell(row, id_column).value: row for row in range(excel.FIRST_ROW, sheet.max_row + 1)
    }
    for (measure_id, header), value in edits.items():
        sheet.cell(row_of[measure_id], excel.COL[header] + 1, value)
    if drop_ids:
        sheet.delete_cols(id_column, 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def updates() -> int:
    return AuditEvent.objects.filter(action="measure.update").count()


def test_the_export_has_the_ledger_columns_and_one_row_per_measure(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    rows = rows_of(data)
    assert rows[1][:13] == list(excel.HEADERS[:13])
    assert [r[0] for r in rows[2:]] == ["1.1.1", "1.1.2"]
    first = rows[2]
    assert first[excel.COL["完成时限"]] == dt.datetime(2024, 3, 31)
    assert first[excel.COL["整改类型"]] == "限期整改"
    assert first[excel.COL["完成情况"]] == "未开始"
    assert first[excel.COL["措施编号"]] == world.measure_a.pk


def test_confidential_problems_are_marked(world):
    Problem.objects.filter(aspect__inspection=world.inspection_a).update(confidential=True)
    rows = rows_of(excel.export_ledger(world.inspection_a, by=world["office"]))
    assert rows[2][excel.COL["具体问题"]].startswith(excel.CONFIDENTIAL_MARK)
    # The mark is not taken for an edit of the problem when the sheet comes back.
    assert excel.import_ledger(
        world.inspection_a, rows_to_bytes(world, "office"), by=world["office"]
    ).ok


def rows_to_bytes(world, persona: str) -> bytes:
    return excel.export_ledger(world.inspection_a, by=world[persona])


def test_evidence_and_close_out_are_shown(world, submit):
    measure = submit()
    actions.verify_and_close_out(measure, by=world["office"])
    rows = rows_of(excel.export_ledger(world.inspection_a, by=world["observer"]))
    assert rows[2][excel.COL["佐证材料"]] == "科协纪〔2024〕1号 《党组会议纪要》"
    assert rows[2][excel.COL["完成情况"]] == "已销号"
    assert rows[2][excel.COL["销号情况"]].startswith("验收销号：office ")


def test_a_round_trip_without_edits_writes_nothing(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    before = AuditEvent.objects.count()
    result = excel.import_ledger(world.inspection_a, data, by=world["liaison"])
    assert result.ok and result.changed == [] and result.unchanged == 2
    assert AuditEvent.objects.count() == before
    assert Measure.objects.get(pk=world.measure_a.pk).version == world.measure_a.version


def test_edited_cells_are_applied_and_audited(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    m = world.measure_a2
    edited = edit(
        data,
        {
            (m.pk, "责任人"): "王伟",
            (m.pk, "整改类型"): "长期坚持",
            (m.pk, "整改进展"): "已制定学习计划。",
        },
    )
    result = excel.import_ledger(world.inspection_a, edited, by=world["liaison"])
    assert result.ok, result.messages()
    assert result.changed == [m.pk] and result.unchanged == 1
    saved = Measure.objects.get(pk=m.pk)
    assert (saved.responsible_person, saved.kind, saved.progress) == (
        "王伟",
        MeasureKind.ONGOING,
        "已制定学习计划。",
    )
    event = AuditEvent.objects.get(action="measure.update", target_id=str(m.pk))
    assert event.actor == world["liaison"]
    assert event.before["responsible_person"] == "" and event.after["responsible_person"] == "王伟"
    assert AuditEvent.objects.filter(action="inspection.import_ledger").count() == 1


def test_a_sheet_with_three_bad_cells_reports_all_three_and_writes_nothing(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    a, a2 = world.measure_a, world.measure_a2
    edited = edit(
        data,
        {
            (a.pk, "责任人"): "王伟",  # a good edit, which must not be written either
            (a.pk, "完成时限"): "三月底",
            (a2.pk, "整改类型"): "马上改",
            (a2.pk, "责任领导"): "长" * 101,
        },
    )
    before = updates()
    result = excel.import_ledger(world.inspection_a, edited, by=world["liaison"])
    messages = result.messages()
    assert len(messages) == 3, messages
    assert messages[0].startswith("第3行 H列（完成时限）：无法识别的日期“三月底”")
    assert messages[1].startswith("第4行 E列（责任领导）：内容过长（101字），最多100字")
    assert messages[2].startswith("第4行 I列（整改类型）：无法识别的整改类型“马上改”")
    assert result.changed == [] and updates() == before
    assert Measure.objects.get(pk=a.pk).responsible_person == ""


def test_a_row_the_action_refuses_rolls_back_the_rows_before_it(world):
    # measure_a2 comes later in the sheet; the refusal of its deadline change must undo the
    # (valid) change to measure_a, which was applied first.
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    edited = edit(
        data,
        {
            (world.measure_a.pk, "责任人"): "王伟",
            (world.measure_a2.pk, "完成时限"): "2024年6月30日",
        },
    )
    result = excel.import_ledger(world.inspection_a, edited, by=world["liaison"])
    assert result.messages() == ["第4行 H列（完成时限）：完成时限已确定，如需调整请申请延期。"]
    assert Measure.objects.get(pk=world.measure_a.pk).responsible_person == ""
    assert updates() == 0


def test_a_measure_saved_after_the_export_is_a_conflict(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    m = world.measure_a
    actions.update_measure(m, {"progress": "别人先改了"}, by=world["leader"], expected_version=1)
    result = excel.import_ledger(
        world.inspection_a, edit(data, {(m.pk, "责任人"): "王伟"}), by=world["liaison"]
    )
    assert result.messages() == ["第3行：该措施在导出后已被他人修改，请重新导出台账后再修改。"]
    assert Measure.objects.get(pk=m.pk).progress == "别人先改了"


def test_without_the_hidden_columns_rows_are_matched_by_number(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    edited = edit(data, {(world.measure_a2.pk, "责任部门"): "办公室"}, drop_ids=True)
    result = excel.import_ledger(world.inspection_a, edited, by=world["liaison"])
    assert result.ok and result.changed == [world.measure_a2.pk]


def test_rows_that_do_not_map_to_a_measure_are_reported(world):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    a, a2 = world.measure_a, world.measure_a2
    edited = edit(data, {(a.pk, "方面"): "别的方面", (a2.pk, "措施编号"): world.measure_b.pk})
    result = excel.import_ledger(world.inspection_a, edited, by=world["liaison"])
    assert result.messages() == [
        "第3行 B列（方面）：与台账中该措施所属的方面不符：“别的方面”。",
        f"第4行 N列（措施编号）：本台账中没有编号为“{world.measure_b.pk}”的措施。",
    ]


def test_a_file_that_is_not_a_ledger_is_refused(world):
    result = excel.import_ledger(world.inspection_a, b"not a workbook", by=world["liaison"])
    assert result.messages() == ["无法读取该文件，请上传从本系统导出的 .xlsx 台账。"]


@pytest.mark.parametrize("persona", ["other", "sysadmin", "far_office"])
def test_outsiders_can_neither_export_nor_import(world, persona):
    data = excel.export_ledger(world.inspection_a, by=world["liaison"])
    with pytest.raises(NotFound):
        excel.export_ledger(world.inspection_a, by=world[persona])
    with pytest.raises(NotFound):
        excel.import_ledger(world.inspection_a, data, by=world[persona])


def test_a_read_only_role_may_export_but_its_edits_are_refused(world):
    data = excel.export_ledger(world.inspection_a, by=world["observer"])
    edited = edit(data, {(world.measure_a.pk, "责任人"): "王伟"})
    result = excel.import_ledger(world.inspection_a, edited, by=world["observer"])
    assert result.messages() == ["第3行：您无权执行此操作。"]
    assert updates() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024/3/1", dt.date(2024, 3, 1)),
        ("2024年3月1日", dt.date(2024, 3, 1)),
        (dt.datetime(2024, 3, 1, 0, 0), dt.date(2024, 3, 1)),
        (45352, dt.date(2024, 3, 1)),  # Excel's serial number for 2024-03-01
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_the_usual_forms(value, expected):
    assert excel.parse_date(value) == expected


@pytest.mark.parametrize("value", ["三月底", "2024-02-30", "2024.13.1", "明年"])
def test_other_dates_are_refused(value):
    with pytest.raises(ValueError, match="无法识别的日期"):
        excel.parse_date(value)


# Cells the sheet writer must write exactly as xlsxwriter does: plain text, nothing, spaces at
# either end, XML specials, rich-text look-alikes, quotes and line ends, control characters,
# xlsxwriter's own escapes, a full-width space, a non-character, an emoji.
AWKWARD = [
    "制定学习计划并组织专题学习",
    "",
    " 前有空格",
    "后有空格 ",
    "末尾换行\n",
    "a & b",
    "1 < 2 > 0",
    "<r>x</r>",
    '引号" 和\n换行',
    "控制\x01字符",
    "_x0041_",
    "\u3000全角空格",
    "\ufffe",
    "😀",
]


def _sheet_xml(quick: bool) -> bytes:
    """A title row, a header row and a row per awkward text, written through the export's
    quick row writer or cell by cell through xlsxwriter's own methods."""
    out = io.BytesIO()
    with xlsxwriter.Workbook(out, excel.XLSX_OPTIONS) as book:
        sheet = book.add_worksheet("整改台账", worksheet_class=excel._LedgerSheet)
        text = book.add_format({"text_wrap": True, "bg_color": "#FFC7CE"})
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.set_row(0, 30)
        sheet.merge_range(0, 0, 0, 5, "标题", text)
        sheet.write_string(1, 0, "序号", text)
        for row, value in enumerate(AWKWARD, 2):
            cells = [
                (value, text),
                (dt.date(2024, 3, 31), date),
                (12345, text),
                (0.1, text),
                (None, text),
                ("制定学习计划", None if value == "😀" else text),
            ]
            if quick:
                sheet.write_plain_row(row, cells)
                continue
            sheet.write_string(row, 0, value, text)
            sheet.write_datetime(row, 1, dt.date(2024, 3, 31), date)
            sheet.write_number(row, 2, 12345, text)
            sheet.write_number(row, 3, 0.1, text)
            sheet.write_blank(row, 4, None, text)
            sheet.write_string(row, 5, "制定学习计划", None if value == "😀" else text)
    with zipfile.ZipFile(out) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_the_quick_row_writer_writes_what_xlsxwriter_writes():
    # The export writes plain rows itself (for speed); the file must not differ from
    # xlsxwriter's by a byte, also after an upgrade of xlsxwriter.
    assert excel._QUICK_ROWS, "xlsxwriter's internals changed: every row takes the slow path"
    assert _sheet_xml(quick=True) == _sheet_xml(quick=False)

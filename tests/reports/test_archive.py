"""The DA/T 22 归档文件目录: 档号, dates, made-up titles, the sheet's layout."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from tests.ledger.conftest import World
from zhenggai.ledger.models import Inspection
from zhenggai.reports.archive import (
    COLUMNS,
    Entry,
    archive_code,
    catalogue_entries,
    catalogue_title,
    numbered,
    write_catalogue,
)

CODE = re.compile(r"^[A-Z0-9]+-WS·\d{4}-(Y|D30|D10)-[A-Z0-9]+-\d{4}$")


def test_the_archive_code_follows_da_t_22() -> None:
    assert archive_code(2024, 1) == "X001-WS·2024-D30-BGS-0001"
    assert archive_code(2023, 12, fonds="J012", retention="Y", organisation="DZB") == (
        "J012-WS·2023-Y-DZB-0012"
    )
    with pytest.raises(ValueError, match="保管期限"):
        archive_code(2024, 1, retention="D15")


def test_item_numbers_count_from_one_in_each_year_in_date_order() -> None:
    entries = [
        Entry("", "区科协", "乙", dt.date(2024, 2, 1)),
        Entry("", "区科协", "甲", dt.date(2024, 1, 5)),
        Entry("", "区科协", "丙", dt.date(2023, 12, 27)),
        Entry("", "区科协", "丁", None),
    ]
    codes = [(code, entry.title) for code, entry in numbered(entries, 2024)]
    assert codes == [
        ("X001-WS·2023-D30-BGS-0001", "丙"),
        ("X001-WS·2024-D30-BGS-0001", "甲"),
        ("X001-WS·2024-D30-BGS-0002", "乙"),
        ("X001-WS·2024-D30-BGS-0003", "丁"),
    ]


@pytest.mark.parametrize("title", ["", "  ", "IMG_0001.jpg", "scan 2024.pdf", "0001"])
def test_a_missing_or_unusable_title_is_made_up_in_brackets(title: str) -> None:
    entry = Entry("", "区科协", title, None, fallback_title="党组会议照片")
    assert catalogue_title(entry) == "[党组会议照片]"


def test_the_catalogue_from_the_ledger_has_the_columns_codes_and_dates(
    filled: Inspection,
) -> None:
    buffer = io.BytesIO()
    write_catalogue(catalogue_entries(filled), buffer, default_year=2023)
    sheet = openpyxl.load_workbook(buffer).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == COLUMNS
    *body, notice = rows[2:]  # the 通报 itself: no date known, so numbered last
    assert str(notice[4]).endswith("巡察整改情况的通报") and notice[3] == "中共开封市龙亭区科协党组"
    assert [row[1] for row in body] == ["X001-WS·2023-D30-BGS-0001", "X001-WS·2024-D30-BGS-0001"]
    assert all(CODE.match(row[1]) for row in body)
    assert [row[5] for row in body] == ["20231227", "20240108"]
    assert body[0][4] == "[学习贯彻党的二十大精神不够深入整改佐证材料]"  # IMG_0001.jpg
    assert body[1][2:5] == ("科协纪〔2024〕1号", "中共开封市龙亭区科协党组", "党组会议纪要")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.freeze_panes == "A3"


def test_a_document_cited_by_two_measures_is_listed_once_beside_the_notice_and_report(
    filled: Inspection, world: World
) -> None:
    from django.utils import timezone

    from tests.reports.conftest import _evidence

    _evidence(world, world.measure_a2, "党组会议纪要", "科协纪〔2024〕1号", dt.date(2024, 1, 8))
    type(filled).objects.filter(pk=filled.pk).update(report_submitted_at=timezone.now())
    filled.refresh_from_db()
    titles = [entry.title for entry in catalogue_entries(filled)]
    assert titles.count("党组会议纪要") == 1
    assert any(t.endswith("巡察整改情况的通报") for t in titles)
    assert "中共开封市龙亭区科协党组关于巡察整改情况的报告" in titles

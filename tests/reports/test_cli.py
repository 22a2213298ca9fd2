"""``zhenggai report …``: from a notice file without a database, and from the ledger."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.reports.conftest import SECRET, SEED, World
from zhenggai.cli import main
from zhenggai.ledger.models import Inspection
from zhenggai.notice import parse, read


def test_it_renders_a_notice_file_without_the_database(tmp_path: Path) -> None:
    if not SEED.exists():
        pytest.skip(f"seed not found: {SEED}")
    out = tmp_path / "通报.docx"
    assert main(["report", "notice", "--from-notice", str(SEED), "-o", str(out)]) == 0
    assert len(parse(read(out)).measures()) == 31


def test_it_writes_the_public_notice_of_an_inspection(filled: Inspection, tmp_path: Path) -> None:
    out = tmp_path / "通报.docx"
    assert main(["report", "notice", "--inspection", str(filled.pk), "-o", str(out)]) == 0
    assert SECRET not in read(out)


@pytest.mark.parametrize("kind", ["report", "leader-report"])
def test_it_writes_the_reports(filled: Inspection, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.docx"
    args = ["report", kind, "--inspection", str(filled.pk), "-o", str(out)]
    assert main([*args, "--date", "2024-04-10"]) == 0
    assert "逾期" in read(out)


def test_it_writes_a_supervision_order_for_overdue_measures(
    filled: Inspection, tmp_path: Path
) -> None:
    out = tmp_path / "督办单.docx"
    args = ["report", "supervision", "--inspection", str(filled.pk), "-o", str(out)]
    assert main([*args, "--date", "2024-04-10"]) == 0
    assert "逾期10天" in read(out)


def test_it_says_when_nothing_is_overdue(
    filled: Inspection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "supervision", "--inspection", str(filled.pk), "--date", "2024-01-01"]
    assert main([*args, "-o", str(tmp_path / "x.docx")]) == 1
    assert "没有逾期" in capsys.readouterr().err


def test_it_writes_the_archive_catalogue(filled: Inspection, tmp_path: Path) -> None:
    out = tmp_path / "目录.xlsx"
    args = ["report", "archive", "--inspection", str(filled.pk), "-o", str(out)]
    assert main([*args, "--fonds", "J012", "--retention", "Y", "--org", "DZB"]) == 0
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet["B3"].value == "J012-WS·2023-Y-DZB-0001"


def test_it_reads_through_the_user_scope(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "notice", "--inspection", str(world.inspection_b.pk)]
    out = ["-o", str(tmp_path / "b.docx")]
    assert main([*args, "--user", "other", *out]) == 0
    assert main([*args, "--user", "liaison", *out]) == 1  # unit A's liaison: not theirs
    assert "无权查看" in capsys.readouterr().err


def test_an_unknown_inspection_is_one_clear_line(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "report", "--inspection", "999"]) == 1
    assert capsys.readouterr().err.strip() == "错误：没有编号为 999 的巡察。"


def test_it_writes_the_excel_ledger(
    filled: Inspection, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "台账.xlsx"
    args = ["report", "ledger", "--inspection", str(filled.pk), "-o", str(out)]
    assert main([*args, "--date", "2024-04-10"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert "导出日期：2024年4月10日" in sheet["A1"].value
    assert [sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)] == [
        "1.1.1",
        "1.1.2",
        "1.2.1",
    ]
    # The internal ledger keeps the confidential problem, marked.
    assert sheet["C5"].value == f"【不予公开】{SECRET}"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]  # no leftover part file


def test_the_ledger_with_a_user_has_that_user_s_rows(world: World, tmp_path: Path) -> None:
    out = tmp_path / "b.xlsx"
    args = ["report", "ledger", "--inspection", str(world.inspection_b.pk), "-o", str(out)]
    assert main([*args, "--user", "other"]) == 0
    sheet = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    assert sheet.max_row == 3 and sheet["N3"].value == world.measure_b.pk


@pytest.mark.parametrize("user", ["liaison", "nobody"])
def test_the_ledger_of_an_inspection_the_user_may_not_see_is_refused(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], user: str
) -> None:
    out = tmp_path / "b.xlsx"
    args = ["report", "ledger", "--inspection", str(world.inspection_b.pk), "-o", str(out)]
    assert main([*args, "--user", user]) == 1
    message = f"错误：没有编号为 {world.inspection_b.pk} 的巡察，或账号 {user} 无权查看。"
    assert capsys.readouterr().err.strip() == message
    assert not out.exists()


def test_the_ledger_of_an_unknown_inspection_is_one_clear_line(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "ledger", "--inspection", "999", "-o", str(tmp_path / "x.xlsx")]) == 1
    assert capsys.readouterr().err.strip() == "错误：没有编号为 999 的巡察。"


def test_the_ledger_is_not_a_pdf(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "ledger", "--inspection", str(world.inspection_a.pk), "--pdf"]
    assert main([*args, "-o", str(tmp_path / "x.xlsx")]) == 1
    assert capsys.readouterr().err.strip() == (
        "错误：整改台账为 Excel 文件，请用 Excel/WPS 打印或另存为 PDF。"
    )


def test_the_ledger_into_a_missing_folder_is_one_clear_line(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "没有这个目录" / "台账.xlsx"
    args = ["report", "ledger", "--inspection", str(world.inspection_a.pk), "-o", str(out)]
    assert main(args) == 1
    assert capsys.readouterr().err.strip() == f"错误：无法写入 {out}：目录不存在。"

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

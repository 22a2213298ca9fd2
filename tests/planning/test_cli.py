"""``zhenggai report plan``: the 整改方案 from the command line."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from tests.ledger.conftest import World
from zhenggai.cli import main


def test_it_writes_the_plan_with_its_three_tables(complete: World, tmp_path: Path) -> None:
    out = tmp_path / "方案.docx"
    args = ["report", "plan", "--inspection", str(complete.inspection_a.pk), "-o", str(out)]
    assert main([*args, "--date", "2024-01-10"]) == 0
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "龙亭区科协党组关于巡察反馈问题的整改方案"
    assert len(doc.tables) == 3
    assert doc.tables[1].rows[2].cells[2].text == "第2项措施：制定学习计划并组织专题学习"

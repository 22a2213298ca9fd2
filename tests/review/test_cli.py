"""``zhenggai review`` in text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhenggai.cli import main


def test_text_report_is_chinese_and_names_the_rules(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert "总分" in out
    assert "未完成" in out
    assert "有待审核中" in out
    assert "三（一）党组作用不强" in out


def test_json_lists_findings_with_places_and_scores(
    seed_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", str(seed_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    pending = [f for f in data["findings"] if f["rule"] == "pending"]
    assert pending == [
        {
            "rule": "pending",
            "severity": "serious",
            "aspect": 1,
            "problem": 3,
            "measure": 1,
            "message": pending[0]["message"],
            "evidence": ["有待审核中"],
        }
    ]
    assert any(f["measure"] is None for f in data["findings"])
    assert 0 <= data["scores"]["notice"] <= 100
    assert len(data["scores"]["problems"]) == 11


def test_an_unreadable_file_is_one_chinese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["review", str(tmp_path / "无此文件.txt")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：")
    assert "\n" not in err

"""The corpus of real notices as found on web pages (tests/notice/corpus, see its README)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.notice.corpus import score as corpus_score
from zhenggai.notice.parse import explain, parse
from zhenggai.notice.read import read

CORPUS = Path(__file__).resolve().parent / "corpus"


def test_every_corpus_notice_parses_and_the_header_score_is_printed_per_field() -> None:
    for split in ("tuning", "held-out"):
        right, total = corpus_score.score(split)
        print(corpus_score.report(split, right, total))
        assert sum(total.values()) > 0
        assert sum(right.values()) / sum(total.values()) >= 0.95


def test_the_held_out_set_was_fixed_and_is_not_empty() -> None:
    held_out = corpus_score.corpus("held-out")
    assert len(held_out) >= 10
    assert all(meta["split"] == "held-out" for _, meta in held_out)


@pytest.mark.parametrize(
    ("text_path", "meta"), corpus_score.corpus(), ids=lambda v: getattr(v, "stem", "")
)
def test_a_corpus_page_never_crashes_the_parser(text_path: Path, meta: dict) -> None:
    notice = parse(read(text_path))
    assert notice.to_json()


def test_traditional_text_is_matched_but_shown_as_written() -> None:
    notice = parse(read(CORPUS / "pages" / "r01_hubei-weijianwei.txt"))
    assert notice.inspection.group == "省委第五巡視組"
    assert notice.inspection.feedback == "2022-11-09"
    # The organisation section goes to the preamble, in the page's own characters.
    assert "巡視整改組織領導情況" in notice.preamble


def test_explain_gives_each_dropped_chrome_line_with_its_reason() -> None:
    text = (
        "【通知公告】中共某县卫生健康局党组关于巡察整改情况的通报\n"
        "首页 > 巡察工作 > 巡察整改\n共2页 第1页 上一页 下一页\n"
        "根据县委统一部署，2024年3月1日至4月30日，县委第一巡察组对县卫健局党组进行了巡察。"
    )
    notice, dropped = explain(text)
    assert notice.title == "关于巡察整改情况的通报"
    assert notice.issuer == "中共某县卫生健康局党组"
    assert [d.line for d in dropped] == [
        "【通知公告】",
        "首页 > 巡察工作 > 巡察整改",
        "共2页 第1页 上一页 下一页",
    ]
    assert all(d.reason for d in dropped)


def test_parse_explain_prints_the_dropped_lines_in_chinese(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "首页 > 巡察工作 > 巡察整改\n关于巡察整改情况的通报\n"
        "根据县委统一部署，县委第一巡察组进行了巡察。",
        "utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-m", "zhenggai", "parse", str(page), "--explain"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0
    assert "删去（面包屑导航）：首页 > 巡察工作 > 巡察整改" in run.stderr
    assert '"title": "关于巡察整改情况的通报"' in run.stdout


def test_only_traditional_characters_make_a_text_need_folding(seed_text: str) -> None:
    import opencc

    from zhenggai.notice.fold import _TRADITIONAL_HINT, needs_folding

    to_simplified = opencc.OpenCC("t2s").convert
    assert all(to_simplified(ch) != ch for ch in _TRADITIONAL_HINT)
    # Simplified notices, the common case, are parsed as they are (no conversion cost).
    assert not needs_folding(seed_text)
    assert needs_folding(opencc.OpenCC("s2t").convert(seed_text))


def test_the_seed_in_traditional_characters_gives_the_same_tree_in_its_own_characters(
    seed_text: str,
) -> None:
    import opencc

    traditional = opencc.OpenCC("s2t").convert(seed_text)
    simple, folded = parse(seed_text), parse(traditional)
    assert [[len(p.measures) for p in a.problems] for a in folded.aspects] == [
        [len(p.measures) for p in a.problems] for a in simple.aspects
    ]
    dates = [
        [d.start for d in m.dates] for a in simple.aspects for p in a.problems for m in p.measures
    ]
    assert dates == [
        [d.start for d in m.dates] for a in folded.aspects for p in a.problems for m in p.measures
    ]
    first = folded.aspects[0].problems[0].measures[0].text
    assert first in traditional  # shown as written, not converted back to simplified
    assert folded.issuer == opencc.OpenCC("s2t").convert(simple.issuer or "")


def test_without_opencc_a_traditional_text_still_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    # zhenggai.notice exports the function parse under the module's name: import the module.
    parse_module = importlib.import_module("zhenggai.notice.parse")

    def no_opencc(text: str) -> str:
        raise ImportError("opencc")

    monkeypatch.setattr(parse_module, "fold", no_opencc)
    notice = parse(read(CORPUS / "pages" / "r01_hubei-weijianwei.txt"))
    # Unconverted, the traditional words are not matched, but nothing breaks.
    assert notice.to_json()
    assert notice.inspection.feedback is None

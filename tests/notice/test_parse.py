"""The whole parser on the real seed notice, its variants and real openings from many issuers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.notice import variants
from zhenggai.notice import Notice, parse, read


def golden(shared_dir: Path, name: str = "longting-kexie-2024") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shared_dir / "golden" / f"{name}.json").read_text("utf-8"))
    return data


def shape(aspects: list[dict[str, Any]]) -> list[list[int]]:
    return [[len(p["measures"]) for p in a["problems"]] for a in aspects]


def day_dates(doc: dict[str, Any]) -> list[set[tuple[str | None, str | None]]]:
    """Per measure, the day-precision (start, end) pairs: what the scorer counts."""
    return [
        {(d["start"], d["end"]) for d in m["dates"] if d["precision"] == "day"}
        for a in doc["aspects"]
        for p in a["problems"]
        for m in p["measures"]
    ]


def assert_same_tree(parsed: Notice, gold: dict[str, Any]) -> None:
    doc = parsed.to_dict()
    assert shape(doc["aspects"]) == shape(gold["aspects"])
    assert day_dates(doc) == day_dates(gold)


def test_the_seed_parses_to_its_golden_tree_dates_and_header(
    seed_text: str, shared_dir: Path
) -> None:
    gold = golden(shared_dir)
    notice = parse(seed_text)
    assert_same_tree(notice, gold)
    doc = notice.to_dict()
    for key in ("title", "issuer", "inspection", "stated"):
        assert doc[key] == gold[key], key
    assert doc["contacts"]["phones"] == gold["contacts"]["phones"]
    assert doc["contacts"]["emails"] == gold["contacts"]["emails"]


def test_titles_drop_numbering_and_boilerplate(seed_text: str, shared_dir: Path) -> None:
    gold = golden(shared_dir)
    doc = parse(seed_text).to_dict()
    assert [a["title"] for a in doc["aspects"]] == [a["title"] for a in gold["aspects"]]
    got = [p["title"] for a in doc["aspects"] for p in a["problems"]]
    assert got == [p["title"] for a in gold["aspects"] for p in a["problems"]]


def test_measure_text_keeps_the_words_without_the_number(seed_text: str, shared_dir: Path) -> None:
    gold = golden(shared_dir)
    doc = parse(seed_text).to_dict()
    got = [m["text"] for a in doc["aspects"] for p in a["problems"] for m in p["measures"]]
    want = [
        m["text"].strip() for a in gold["aspects"] for p in a["problems"] for m in p["measures"]
    ]
    assert got == want


def test_measures_straight_under_an_aspect_form_one_implicit_problem(seed_text: str) -> None:
    fourth = parse(seed_text).aspects[3]
    assert len(fourth.problems) == 1
    problem = fourth.problems[0]
    assert problem.implicit
    assert problem.title.startswith("2020年4月10日-5月31日")
    assert [m.no for m in problem.measures] == [1, 2, 3]


def test_the_trap_one_dot_year_is_measure_one_starting_with_a_date(seed_text: str) -> None:
    measure = parse(seed_text).aspects[0].problems[1].measures[0]
    assert measure.no == 1
    assert measure.text.startswith("2024年2月18日党组学习了")
    assert measure.dates[0].start == "2024-02-18"


def test_the_closing_contacts_are_not_part_of_the_last_measure(seed_text: str) -> None:
    last = parse(seed_text).measures()[-1]
    assert last.text.endswith("整改成果见实效。")


def test_measures_carry_documents_numbers_and_status_words(seed_text: str) -> None:
    notice = parse(seed_text)
    pending = notice.aspects[0].problems[2].measures[0]
    assert "有待审核中" in pending.entities.status_words
    issued = notice.aspects[1].problems[1].measures[2]
    assert "汴科协文〔2024〕6号" in issued.entities.doc_numbers
    assert "关于表扬2023年度全市科协系统先进集体和先进工作者的通知" in issued.entities.documents


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig"])
def test_the_seed_in_other_encodings_parses_the_same(
    seed_text: str, shared_dir: Path, encoding: str
) -> None:
    data = seed_text.replace("\n", "\r\n").encode(encoding)
    assert_same_tree(parse(read(data)), golden(shared_dir))


def test_the_seed_saved_as_docx_parses_the_same(
    seed_text: str, shared_dir: Path, tmp_path: Path
) -> None:
    document = Document()
    for line in seed_text.split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "通报.docx"
    document.save(str(path))
    notice = parse(read(path))
    assert_same_tree(notice, golden(shared_dir))
    assert notice.issuer == "中共开封市龙亭区科协党组"


@pytest.mark.parametrize(
    "variant",
    [
        variants.half_width,
        variants.run_together,
        variants.crlf_with_blank_lines,
        lambda seed: variants.run_together(variants.half_width(seed)),
    ],
    ids=["half-width", "run-together", "crlf-blank-lines", "half-width-run-together"],
)
def test_layout_variants_of_the_seed_parse_the_same(
    seed_text: str, shared_dir: Path, variant: Any
) -> None:
    assert_same_tree(parse(variant(seed_text)), golden(shared_dir))


@pytest.mark.parametrize("style", sorted(variants.MEASURE_STYLES))
def test_measures_renumbered_in_every_common_style_parse_the_same(
    seed_text: str, shared_dir: Path, style: str
) -> None:
    text = variants.renumber(seed_text, variants.MEASURE_STYLES[style])
    assert_same_tree(parse(text), golden(shared_dir))
    together = variants.renumber(variants.run_together(seed_text), variants.MEASURE_STYLES[style])
    assert_same_tree(parse(together), golden(shared_dir))


def fixture_pairs(shared: Path) -> list[tuple[Path, Path]]:
    notices = sorted((shared / "fixtures" / "notices").glob("*.txt"))
    return [(n, shared / "fixtures" / "golden" / f"{n.stem}.json") for n in notices]


def test_real_openings_parse_without_error_and_headers_are_right(shared_dir: Path) -> None:
    right = total = 0
    for text_path, golden_path in fixture_pairs(shared_dir):
        doc = parse(read(text_path)).to_dict()
        gold = json.loads(golden_path.read_text("utf-8"))
        r, t = header_score(gold, doc)
        right, total = right + r, total + t
    assert total > 0
    assert right / total >= 0.95, f"header {right}/{total}"


def header_score(gold: dict[str, Any], got: dict[str, Any]) -> tuple[int, int]:
    """The same count as shared/tools/score_notice.py, reimplemented to assert on it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2].parent / "shared" / "tools"))
    try:
        import score_notice  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    result: tuple[int, int] = score_notice.header_counts(gold, got)
    return result


def test_the_cli_output_scores_exact_against_the_golden(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seed.json"
    seed = shared_dir / "seed" / "longting-kexie-2024.txt"
    cmd = [sys.executable, "-m", "zhenggai", "parse", str(seed), "--format", "json", "-o", str(out)]
    subprocess.run(cmd, check=True)
    scorer = shared_dir / "tools" / "score_notice.py"
    gold = shared_dir / "golden" / "longting-kexie-2024.json"
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last == "total: 1/1 structure exact, dates F1 1.000, header 8/8"

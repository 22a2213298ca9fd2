"""Facts inside a measure's text (zhenggai.notice.entities)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhenggai.notice.entities import find_entities
from zhenggai.notice.model import Entities
from zhenggai.notice.outline import build_outline
from zhenggai.notice.structure import build_structure

# ---------------------------------------------------------------------------------------------
# Documents


def test_titles_in_book_brackets_are_listed_in_order_without_brackets() -> None:
    text = "重新学习了《中国科学技术协会章程》，制定《2024年党建工作计划》"
    assert find_entities(text).documents == ["中国科学技术协会章程", "2024年党建工作计划"]


def test_titles_in_angle_brackets_and_half_width_double_angles_are_titles_too() -> None:
    assert find_entities("学习<<条例>>和〈规定〉").documents == ["条例", "规定"]


def test_a_nested_title_stays_inside_its_outer_title() -> None:
    text = "《关于学习〈中国共产党纪律处分条例〉的通知》"
    assert find_entities(text).documents == ["关于学习〈中国共产党纪律处分条例〉的通知"]


def test_a_title_cited_twice_is_listed_once() -> None:
    assert find_entities("《章程》…《规定》…《章程》").documents == ["章程", "规定"]


# ---------------------------------------------------------------------------------------------
# Document numbers


@pytest.mark.parametrize(
    "number",
    [
        "汴科协文〔2024〕6号",
        "国发[2024]1号",
        "豫政办（2023）12号",
        "中办发【2022】3号",
        "京政发(2021)15号",
        "豫发改能源〔2024〕第3号",
    ],
)
def test_a_document_number_is_issuer_bracketed_year_and_number(number: str) -> None:
    assert find_entities(f"根据{number}文件精神").doc_numbers == [number]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2024年3月25日市科协下发了汴科协文〔2024〕6号《关于表扬的通知》", "汴科协文〔2024〕6号"),
        ("市科协下发汴科协文〔2024〕6号", "汴科协文〔2024〕6号"),
        ("转发国发〔2024〕1号", "国发〔2024〕1号"),
    ],
)
def test_the_verb_before_a_document_number_is_not_part_of_the_issuer(
    text: str, number: str
) -> None:
    assert find_entities(text).doc_numbers == [number]


def test_a_bracketed_year_without_an_issuer_is_no_document_number() -> None:
    assert find_entities("，（2024）6号").doc_numbers == []


# ---------------------------------------------------------------------------------------------
# Counts


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("2023年12月27日-2024年3月22日共学习9次，内容", "共学习9次"),
        ("“三重一大”共上会2次，研究", "共上会2次"),
        ("其中3个先进集体表彰分配给午朝门社区", "3个先进集体"),
        ("向市科协申请8个科普教育基地，有待审核中", "8个科普教育基地"),
        ("制定及修改完善制度12项，追缴", "制度12项"),
        ("反馈了五个方面21条问题", "21条问题"),
        ("按照每季度一次宣传规划", "每季度一次"),
        ("指定一名副主席负责", "一名副主席"),
        ("参训干部300余人。", "干部300余人"),
        ("服务群众3万人次。", "群众3万人次"),
    ],
)
def test_a_count_is_a_number_a_measure_word_and_a_few_words_of_context(
    text: str, count: str
) -> None:
    assert count in find_entities(text).counts


def test_counts_are_listed_in_text_order() -> None:
    text = "巡察反馈25个问题，已完成整改19个、正在整改6个，制定及修改完善制度12项"
    assert find_entities(text).counts == ["25个问题", "整改19个", "整改6个", "制度12项"]


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月22日",
        "纪念毛泽东同志诞辰130周年",
        "在960广场",
        "1号楼528室",
        "电话0371-22786227",
        "占比总额的60%",
        "追缴资金7.132万元",
        "第八个全国近视防控宣传教育月",
        "落实“两个维护”",
        "大家一起学习",
        "千家万户",
        "汴科协文〔2024〕6号",
    ],
)
def test_dates_codes_ordinals_slogans_and_amounts_are_not_counts(text: str) -> None:
    assert find_entities(text).counts == []


# ---------------------------------------------------------------------------------------------
# Percentages and money


@pytest.mark.parametrize("text", ["60%", "60％", "100%", "7.5%", "百分之六十"])
def test_a_percentage_is_kept_as_written(text: str) -> None:
    assert find_entities(f"占比{text}，").percentages == [text]


@pytest.mark.parametrize(
    "text", ["7.132万元", "5000元", "1.2亿元", "300余万元", "5,000元", "五千元"]
)
def test_an_amount_of_money_is_kept_as_written(text: str) -> None:
    assert find_entities(f"追缴资金{text}，").money == [text]


def test_a_bare_unit_of_money_is_no_amount() -> None:
    assert find_entities("资金万元").money == []


# ---------------------------------------------------------------------------------------------
# Status words


STATUS_WORDS = ["有待审核中", "有待", "正在", "逐步", "拟", "待", "已完成", "完成", "已整改"]
STATUS_WORDS += ["阶段性完成", "持续推进", "长期坚持"]


@pytest.mark.parametrize("word", STATUS_WORDS)
def test_each_status_word_is_found_as_written(word: str) -> None:
    assert find_entities(f"该项工作{word}，").status_words == [word]


def test_status_words_are_in_order_and_listed_once() -> None:
    text = "正在推进，逐步完善，正在落实，有待审核中"
    assert find_entities(text).status_words == ["正在", "逐步", "有待审核中"]


@pytest.mark.parametrize(
    "text", ["整改完成率76%", "开展模拟演练", "拟定方案", "对待群众", "接待来访", "提高待遇"]
)
def test_words_that_only_contain_a_status_word_are_not_status_words(text: str) -> None:
    assert find_entities(text).status_words == []


def test_not_done_is_not_read_as_done() -> None:
    assert find_entities("尚未完成").status_words == ["未完成"]


# ---------------------------------------------------------------------------------------------
# The seed notice and any text


def test_the_seed_measure_with_the_document_number_yields_all_its_facts(shared_dir: Path) -> None:
    golden_path = shared_dir / "golden" / "longting-kexie-2024.json"
    if not golden_path.is_file():
        pytest.skip(f"golden notice missing at {golden_path}")
    golden = json.loads(golden_path.read_text(encoding="utf-8"))
    measure = golden["aspects"][1]["problems"][1]["measures"][2]
    assert find_entities(measure["text"]) == Entities(
        documents=["关于表扬2023年度全市科协系统先进集体和先进工作者的通知"],
        doc_numbers=["汴科协文〔2024〕6号"],
        counts=["3个先进集体", "3个先进工作者"],
        percentages=["60%", "40%"],
        money=[],
        status_words=[],
    )


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789一二十百万个次元%《》〈〉<>〔〕汴文号待完成率第“”，")
        )
    )
    | st.text()
)
def test_any_text_yields_entities_that_occur_in_it(text: str) -> None:
    entities = find_entities(text)
    for kind, values in entities.to_json().items():
        assert len(values) == len(set(values)), kind
        for value in values:
            assert value in text, (kind, value)


def test_each_measure_gets_its_entities_as_the_structure_is_built() -> None:
    lines = ["一、学习方面", "（一）学习不深入", "1.2024年3月印发《学习制度》，共学习9次。"]
    measure = build_structure(build_outline(lines).roots).aspects[0].problems[0].measures[0]
    assert measure.entities == find_entities(measure.text)
    assert measure.entities.documents == ["学习制度"]
    assert measure.dates == []  # dates wait for parse: they need the reading order

"""The parser's fast paths decide exactly as the full patterns they skip would.

Each fast path (a substring or first-character test before a regex) must be a necessary
condition of that regex; these cases sit on its edges: letter case, a pattern's last words,
cuts after sentence ends.
"""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from zhenggai.notice.chrome import clean_lines, is_chrome
from zhenggai.notice.dates import _NUMBER_ATOM, _TITLE, _WORD_ATOM, _in_title, _matches
from zhenggai.notice.header import find_contacts
from zhenggai.notice.model import Entities, Measure, Problem
from zhenggai.notice.numerals import CIRCLED, PARENTHESIZED, cn_to_int, symbol_to_int
from zhenggai.notice.outline import _MARKER_NUMBERS, build_outline
from zhenggai.notice.structure import clean_title


@pytest.mark.parametrize(
    "line",
    [
        "icp备12345678号",  # the footer's Latin words match in any case
        "COPYRIGHT 2024 某某市人民政府，保留所有权利。",
        "copyright © 某某区",
        "HTTPS://WWW.EXAMPLE.GOV.CN/xxgk/",  # a URL line, upper case
        "您现在的位置：首页 > 巡察工作",
        "下一篇：关于开展巡察工作的通知",
        "巡察工作 › 巡察反馈 › 正文",
    ],
)
def test_chrome_found_past_the_fast_paths(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "1.准备工作充分，具备条件。",  # 备 and a sentence: no footer
        "首先，党组召开会议，研究部署巡察整改工作。",  # 首 starts a label word, not this line
        "上一步，完善制度。",
    ],
)
def test_body_lines_survive_the_fast_paths(line: str) -> None:
    assert not is_chrome(line)


def test_bullets_and_invisible_characters_are_still_removed() -> None:
    assert clean_lines("• 第一行\n\u200b- 第二行\n-第三行") == ["第一行", "第二行", "-第三行"]


def test_a_latin_email_label_counts_as_a_contact_line() -> None:
    contacts = find_contacts("正文。\nEMAIL：xcb@example.cn")
    assert contacts.emails == ["xcb@example.cn"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("党建工作存在的问题", "党建工作"),
        ("学习不够深入方面", "学习不够深入"),
        ("党建工作存在的问题\n", "党建工作"),  # $ also matches before a final newline
        ("问题：学习不够", "学习不够"),
        ("的 : ", "的"),  # no boilerplate, still stripped
        ("问题", "问题"),  # nothing left: the title stays
    ],
)
def test_clean_title(text: str, title: str) -> None:
    assert clean_title(text) == title


def test_items_run_together_are_cut_after_each_sentence_end() -> None:
    outline = build_outline(["一、学习", "（一）问题", "整改情况：1.学习制度。2.会议；3、检查"])
    measures = outline.roots[0].children[0].children
    assert [(m.no, m.marker, m.head) for m in measures] == [
        (1, "1.", "学习制度。"),
        (2, "2.", "会议；"),
        (3, "3、", "检查"),
    ]


DATE_TEXTS = [
    "",
    "《关于2023年度的通知》2024年3月5日",
    "《未闭合\n2024年《a》《b《c》》《》",
    "2023年12月27日-2024年3月22日，截至目前上半年，Q1、2024Q2，年底前完成",
    "《〈《》》2024年上半年《2024年》\n《",
]


def test_marker_numbers_read_as_the_numerals_do() -> None:
    for marker, number in _MARKER_NUMBERS.items():
        if marker in CIRCLED or marker in PARENTHESIZED:
            assert symbol_to_int(marker) == number
        else:
            assert cn_to_int(marker.removeprefix("第")) == number


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_in_title_matches_the_title_spans(text: str) -> None:
    spans = [m.span() for m in _TITLE.finditer(text)]
    for pos in range(len(text)):
        assert _in_title(text, pos) == any(start <= pos < end for start, end in spans)


@pytest.mark.parametrize("pattern", [_NUMBER_ATOM, _WORD_ATOM])
@pytest.mark.parametrize("text", DATE_TEXTS)
def test_matches_is_finditer(pattern: re.Pattern[str], text: str) -> None:
    assert [m.span() for m in _matches(pattern, text)] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("cls", "leading"),
    [
        (Entities, ["documents", "doc_numbers", "counts", "percentages", "money", "status_words"]),
        (Measure, ["no", "text", "dates", "entities", "status"]),
        (Problem, ["no", "title", "implicit", "measures", "description", "status"]),
    ],
)
def test_fields_keep_the_order_the_parser_builds_them_in(cls: type, leading: list[str]) -> None:
    """find_entities and structure build these positionally (a keyword call costs more).

    A new field goes last; one inserted before these would shift the parser's arguments.
    """
    assert [f.name for f in fields(cls)][: len(leading)] == leading

"""Render → parse gives the tree back, and parse never raises on any text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhenggai.notice import Aspect, Inspection, Measure, Notice, Problem, parse
from zhenggai.notice.formats import render_text


def tree(notice: Notice) -> list[tuple[str, list[tuple[str, bool, list[str]]]]]:
    return [
        (a.title, [(p.title, p.implicit, [m.text for m in p.measures]) for p in a.problems])
        for a in notice.aspects
    ]


def dates(notice: Notice) -> list[list[tuple[str | None, str | None, str]]]:
    return [[(d.start, d.end, d.precision) for d in m.dates] for m in notice.measures()]


def test_the_seed_rendered_and_parsed_again_is_the_same_notice(seed_text: str) -> None:
    first = parse(seed_text)
    again = parse(render_text(first))
    assert tree(again) == tree(first)
    assert dates(again) == dates(first)
    assert again.inspection == first.inspection
    assert (again.title, again.issuer) == (first.title, first.issuer)
    assert again.contacts.phones == first.contacts.phones
    assert again.contacts.emails == first.contacts.emails


# Words of findings and measures, without anything that reads as numbering or a label.
WORDS = st.text(alphabet="党建学习制度会议落实推进加强管理规范资金项目单位人员检查宣传", min_size=2)
SENTENCE = st.builds(lambda a, b: f"{a}，{b}。", WORDS, WORDS)


@st.composite
def notices(draw: st.DrawFn) -> Notice:
    aspects = []
    for a_no in range(1, draw(st.integers(1, 4)) + 1):
        problems = []
        for p_no in range(1, draw(st.integers(1, 4)) + 1):
            count = draw(st.integers(1, 4))
            measures = [Measure(m, draw(SENTENCE)) for m in range(1, count + 1)]
            problems.append(Problem(p_no, draw(WORDS) + "不到位", measures=measures))
        aspects.append(Aspect(a_no, draw(WORDS) + "不够有力", problems))
    inspection = Inspection("区委第二巡察组", "2023-03-01", "2023-04-15", "2023-06-20")
    return Notice("关于巡察整改情况的通报", "中共某某区某某局党组", inspection, aspects=aspects)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notices())
def test_any_rendered_notice_parses_back_to_its_tree(notice: Notice) -> None:
    again = parse(render_text(notice))
    assert tree(again) == tree(notice)
    assert again.inspection == notice.inspection
    assert (again.title, again.issuer) == (notice.title, notice.issuer)


NOTICE_ALPHABET = st.sampled_from(
    [
        *"一二三四五六十（）()、.．:：，。；是第问题整改情况状态完成年月日至-—0123456789①⑴\n ",
        *["整改情况：", "一、", "（一）", "1.", "2024年", "截至", "反馈", "巡察组", "联系方式："],
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(NOTICE_ALPHABET, max_size=200).map("".join))
def test_parse_never_raises_on_notice_like_text(text: str) -> None:
    notice = parse(text)
    assert all(a.problems for a in notice.aspects)  # every aspect keeps at least one problem


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parse_never_raises_on_arbitrary_text(text: str) -> None:
    parse(text).to_json()


def test_a_notice_saved_as_json_loads_back_as_the_same_tree_and_header(seed_text: str) -> None:
    import json

    notice = parse(seed_text)
    loaded = Notice.from_dict(json.loads(notice.to_json()))
    assert tree(loaded) == tree(notice)
    assert (loaded.title, loaded.issuer, loaded.inspection) == (
        notice.title,
        notice.issuer,
        notice.inspection,
    )
    assert (loaded.stated, loaded.contacts, loaded.basis) == (
        notice.stated,
        notice.contacts,
        notice.basis,
    )

"""Each rule alone, with short texts that must and must not trigger it."""

from __future__ import annotations

import pytest

from tests.review.conftest import OPENING, TODAY, rules_fired, snapshot_of
from zhenggai.notice import DateMention, parse
from zhenggai.review import MeasureView, ProblemView, Severity, Snapshot, from_notice, review


@pytest.mark.parametrize(
    "text",
    [
        "2024年2月23日召开党组会议，党组成员重新学习了全市工作推进会精神。",
        "2024年3月15日党组认真学习了《民主生活会若干规定》。",
    ],
)
def test_study_only_flags_a_measure_that_only_studies(text: str) -> None:
    assert "study_only" in rules_fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年2月18日党组学习了重要指示，制定了《意识形态工作责任制实施方案》。",
        "2024年2月23日重新学习了章程，并在文昌小学开展了近视防控宣传教育月活动。",
        "2024年1月8日成立领导小组。",
    ],
)
def test_study_only_accepts_study_followed_by_an_act(text: str) -> None:
    assert "study_only" not in rules_fired(text)


def test_study_only_is_a_hint_when_the_problem_is_about_study() -> None:
    found = review(snapshot_of("2024年1月19日学习了文件。", problem="理论学习不深入。"))
    assert [f.severity for f in found.findings if f.rule == "study_only"] == [Severity.INFO]


@pytest.mark.parametrize(
    "text",
    [
        "党组成员加强理论学习，强化主体责任意识，扎实推进党风廉政建设工作。",
        "年初做了统筹谋划安排，年中研究一次党建工作。",
        "定期召开党组会议，及时发现问题，及时纠正。",
    ],
)
def test_vague_flags_effort_words_without_date_or_output(text: str) -> None:
    assert "vague" in rules_fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年1月8日召开党组会，进一步加强请销假管理。",  # dated
        "加强公文管理，制定《请销假制度》。",  # a document
        "严格落实“第一议题”制度，共学习9次。",  # a count
        "全面排查盘点药品结余，建立台账。",  # an act that leaves something
        "党组书记为组长、副主席为副组长。",  # no effort words: not this rule's business
    ],
)
def test_vague_accepts_a_date_an_output_or_plain_facts(text: str) -> None:
    assert "vague" not in rules_fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月13日向市科协申请8个科普教育基地，有待审核中。",
        "2024年3月起正在修订财务制度。",
        "2024年3月1日起逐步规范档案管理。",
        "2024年3月拟制定《档案管理办法》。",
    ],
)
def test_pending_flags_unfinished_work_reported_as_done(text: str) -> None:
    assert "pending" in rules_fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月13日申请的8个科普教育基地已全部获批。",
        "2024年3月5日开展应急模拟演练。",
        "2024年3月5日草拟并印发《档案管理办法》。",
    ],
)
def test_pending_ignores_finished_work_and_look_alike_words(text: str) -> None:
    assert "pending" not in rules_fired(text)


def test_pending_respects_a_status_that_says_unfinished() -> None:
    text = f"{OPENING}（一）问题。\n整改情况：\n1.正在修订制度。\n整改状态：阶段性完成\n"
    found = review(from_notice(parse(text), today=TODAY))
    assert "pending" not in {f.rule for f in found.findings}


@pytest.mark.parametrize(
    "text",
    [
        "2023年9月1日召开党组会议，制定整改方案。",  # before the inspection began
        "2027年1月1日前制定整改方案。",  # after today
    ],
)
def test_date_anomaly_flags_dates_outside_the_window(text: str) -> None:
    assert "date_anomaly" in rules_fired(text)


@pytest.mark.parametrize(
    "text",
    [
        "2023年10月26日制作公开栏。",  # during the inspection: fixed at once
        "2024年3月22日学习了《2022年工作要点》。",  # an old year inside a title
        "对2023年推荐工作进行复核，2024年1月8日制定《评选办法》。",
    ],
)
def test_date_anomaly_accepts_dates_inside_the_window(text: str) -> None:
    assert "date_anomaly" not in rules_fired(text)


def test_date_anomaly_flags_an_end_before_its_start_as_serious() -> None:
    # The parser never produces such a range from text; a ledger entry can.
    backwards = DateMention("2024年5月1日至3月1日", "2024-05-01", "2024-03-01", "day")
    measure = MeasureView(1, 1, 1, "开展专项整治活动。", dates=(backwards,))
    problem = ProblemView(1, 1, "专项整治不到位", measures=(measure,))
    found = review(Snapshot(problems=(problem,), today=TODAY, inspection_start="2023-10-13"))
    assert [(f.rule, f.severity) for f in found.findings] == [("date_anomaly", Severity.SERIOUS)]


def test_off_topic_flags_a_measure_sharing_no_words_with_its_problem() -> None:
    fired = rules_fired("争取上级资金和奖励，做好推选和上报。", problem="民主生活会不重视。")
    assert "off_topic" in fired


def test_off_topic_accepts_a_measure_that_names_the_problem() -> None:
    text = "2024年1月17日召开了巡察整改民主生活会。"
    assert "off_topic" not in rules_fired(text, problem="民主生活会不重视。")


def test_no_measure_flags_a_problem_without_measures() -> None:
    text = (
        f"{OPENING}（一）意识形态工作不扎实。\n"
        "（二）民主生活会不重视。\n整改情况：\n1.2024年1月17日召开民主生活会。\n"
    )
    found = review(from_notice(parse(text), today=TODAY))
    assert [(f.rule, f.problem, f.measure) for f in found.findings] == [("no_measure", 1, None)]


def test_long_term_without_mechanism_flags_promises_without_a_rule() -> None:
    found = review(
        snapshot_of("今后定期召开党组会议研究意识形态工作。", "2024年3月7日召开专题会议。")
    )
    problem_level = [f for f in found.findings if f.measure is None]
    assert [f.rule for f in problem_level] == ["long_term_no_mechanism"]
    assert problem_level[0].evidence == ("今后", "定期")


def test_long_term_with_a_new_rule_is_accepted() -> None:
    fired = rules_fired(
        "今后定期召开党组会议。", "2024年3月7日制定了《意识形态工作责任制实施办法》。"
    )
    assert "long_term_no_mechanism" not in fired


def test_duplicate_flags_the_same_measure_under_two_problems() -> None:
    same = "2024年1月8日召开党组会，研究制定《党风廉政建设工作实施方案》，指定专人记录。"
    text = f"{OPENING}（一）问题甲。\n整改情况：\n1.{same}\n（二）问题乙。\n整改情况：\n1.{same}\n"
    found = review(from_notice(parse(text), today=TODAY))
    assert [(f.problem, f.measure) for f in found.findings if f.rule == "duplicate"] == [
        (1, 1),
        (2, 1),
    ]


def test_duplicate_ignores_different_measures_with_a_shared_opening() -> None:
    text = (
        f"{OPENING}（一）问题甲。\n整改情况：\n1.2024年1月8日召开党组会，成立党风廉政建设领导小组。\n"
        "（二）问题乙。\n整改情况：\n1.2024年1月8日召开党组会，制定《请销假制度》，明确请假事由。\n"
    )
    found = review(from_notice(parse(text), today=TODAY))
    assert "duplicate" not in {f.rule for f in found.findings}

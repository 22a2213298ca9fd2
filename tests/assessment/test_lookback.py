"""The pure matcher: normalisation, shared words, and precision/recall on the labelled pairs."""

from __future__ import annotations

import pytest

from tests.assessment.pairs import PAIRS
from zhenggai.review import lookback


def _scores() -> list[tuple[float, bool]]:
    matcher = lookback.Matcher([t for p in PAIRS for t in (p.earlier, p.later)])
    return [
        (lookback.problem_similarity(matcher, p.earlier, "", p.later, ""), p.same) for p in PAIRS
    ]


def precision_recall(threshold: float) -> tuple[float, float]:
    scored = _scores()
    hits = [same for score, same in scored if score >= threshold]
    positives = sum(1 for _, same in scored if same)
    return sum(hits) / len(hits), sum(hits) / positives


def test_the_pairs_are_about_forty_and_both_kinds() -> None:
    assert len(PAIRS) >= 40
    assert 15 <= sum(p.same for p in PAIRS) <= len(PAIRS) - 15


def test_repeat_threshold_keeps_precision_and_recall_as_documented() -> None:
    # docs/lookback.md: P 1.00, R 0.96 at 0.35 on these pairs (areas and wording).
    precision, recall = precision_recall(lookback.REPEAT_THRESHOLD)
    assert precision >= 0.95
    assert recall >= 0.95


def test_related_threshold_finds_nearly_every_repeat() -> None:
    # docs/lookback.md: P 1.00, R 0.96 at 0.20.
    precision, recall = precision_recall(lookback.RELATED_THRESHOLD)
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("（一）理论学习在学用结合上有差距。", "理论学习在学用结合上"),
        ("1.关于“政治理论学习跟进不够及时”的问题", "政治理论学习跟进"),
        ("三、对党建工作不重视方面存在的问题及整改情况", "对党建"),
        ("形式主义、官僚主义现象依然存在", "形式主义 官僚主义"),
    ],
)
def test_it_drops_numbering_wrappers_and_boilerplate(raw: str, normal: str) -> None:
    assert lookback.normalise(raw) == normal


def test_shared_words_are_the_longest_common_runs() -> None:
    shared = lookback.shared_words("落实中央八项规定精神不严格", "执行中央八项规定精神有松懈")
    assert shared == ("中央八项规定精神",)


def test_shared_words_leave_out_generic_bigrams() -> None:
    assert lookback.shared_words("党组工作", "党组工作") == ()


def test_match_ranks_the_reworded_problem_first_and_drops_lookalikes() -> None:
    earlier = [
        lookback.Candidate(1, "请销假制度执行不严"),
        lookback.Candidate(2, "财务管理不规范，存在白条入账现象"),
        lookback.Candidate(3, "会议记录不规范"),
    ]
    found = lookback.match("财务制度执行不严，报销凭证不规范、白条入账", "", earlier)
    assert [m.key for m in found] == [2]
    assert found[0].repeat
    assert "白条入账" in found[0].shared


@pytest.mark.parametrize(
    ("status", "recurrences", "confirmed", "expected"),
    [
        ("closed", 0, False, ("fully", "")),
        ("phase_complete", 0, False, ("fully", "")),
        ("closed", 1, True, ("partly", "边改边犯")),
        ("closed", 1, False, ("partly", "疑似边改边犯（待巡察办确认）")),
        ("in_progress", 1, True, ("not", "边改边犯")),
        ("not_started", 0, False, ("not", "整改措施尚未开始")),
        ("submitted", 0, False, ("partly", "尚有整改措施未验收销号")),
    ],
)
def test_prior_status(
    status: str, recurrences: int, confirmed: bool, expected: tuple[str, str]
) -> None:
    assert lookback.prior_status(status, recurrences, confirmed=confirmed) == expected

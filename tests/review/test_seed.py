"""The issue's examples on the seed notice, and the scores."""

from __future__ import annotations

import pytest

from zhenggai.review import Review


def _rules_on(result: Review, aspect: int, problem: int, measure: int | None) -> set[str]:
    return {
        f.rule
        for f in result.findings
        if (f.aspect, f.problem, f.measure) == (aspect, problem, measure)
    }


def test_a_plan_with_vague_times_is_flagged(seed_review: Review) -> None:
    assert "vague" in _rules_on(seed_review, 3, 1, 1)


def test_applications_still_under_review_are_flagged_as_pending(seed_review: Review) -> None:
    (finding,) = [f for f in seed_review.findings if f.rule == "pending"]
    assert (finding.aspect, finding.problem, finding.measure) == (1, 3, 1)
    assert finding.evidence == ("有待审核中",)


def test_strengthen_only_is_flagged_as_vague(seed_review: Review) -> None:
    (finding,) = [
        f for f in seed_review.findings if f.rule == "vague" and (f.aspect, f.problem) == (2, 1)
    ]
    assert {"加强", "提升", "强化"} <= set(finding.evidence)


@pytest.mark.parametrize(
    ("aspect", "problem", "measure"),
    [(2, 4, 1), (1, 2, 1), (1, 2, 2), (1, 2, 3), (2, 1, 2), (2, 1, 3), (3, 3, 2), (4, 1, 2)],
)
def test_dated_concrete_measures_are_not_weak(
    seed_review: Review, aspect: int, problem: int, measure: int
) -> None:
    weak = {"study_only", "vague", "pending", "date_anomaly"}
    assert not _rules_on(seed_review, aspect, problem, measure) & weak


def test_scores_follow_the_documented_formula(seed_review: Review) -> None:
    scores = seed_review.scores_json()
    problem = scores["problems"][2]  # 一（三）: pending (serious) on 1, study_only on 2
    assert [m["score"] for m in problem["measures"]] == [60, 80, 100]
    assert problem["score"] == 80
    assert scores["notice"] == round(sum(p["score"] for p in scores["problems"]) / 11)

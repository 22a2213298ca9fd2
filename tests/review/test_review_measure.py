"""One measure's review (its page) finds what the whole review finds on that measure."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.review.conftest import TODAY, snapshot_of
from zhenggai.notice import parse
from zhenggai.review import from_notice, review, review_measure

REUSED = "制定了《干部教育培训管理办法》，2024年3月1日起施行，已组织培训2次。"


def _same_findings_on_every_measure(snapshot) -> int:  # type: ignore[no-untyped-def]
    whole = review(snapshot)
    compared = 0
    for measure in snapshot.measures():
        one = review_measure(snapshot, measure)
        assert one.measure_findings(measure) == whole.measure_findings(measure)
        assert one.measure_score(measure) == whole.measure_score(measure)
        compared += 1
    return compared


def test_the_seed_measures_are_judged_alike_alone_and_in_the_whole(seed_path: Path) -> None:
    snapshot = from_notice(parse(seed_path.read_text(encoding="utf-8")), today=TODAY)
    assert _same_findings_on_every_measure(snapshot) == 31


def test_a_measure_reused_under_another_problem_is_flagged_on_its_own_page() -> None:
    base = snapshot_of(REUSED, "召开专题会议研究整改。")
    other = snapshot_of(REUSED, problem="干部教育培训不扎实。").problems[0]

    moved = replace(other, no=2, measures=tuple(replace(m, problem=2) for m in other.measures))
    snapshot = replace(base, problems=(*base.problems, moved))
    first = snapshot.problems[0].measures[0]
    rules = {f.rule for f in review_measure(snapshot, first).measure_findings(first)}
    assert "duplicate" in rules
    _same_findings_on_every_measure(snapshot)

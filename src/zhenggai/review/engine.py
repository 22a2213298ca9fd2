"""Run every rule over a snapshot and score the result.

Scores (0–100, integers): a measure starts at 100 and loses ``PENALTY`` points per finding on
it (serious 40, warning 20, info 5), down to 0. A problem scores the mean of its measures less
the penalties of its own (problem-level) findings; a problem without measures scores 0. The
notice scores the mean of its problems, so every problem weighs the same however many measures
it has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import mean
from typing import Any

from zhenggai.review import measure_rules, problem_rules
from zhenggai.review.findings import Finding, Rule, Severity
from zhenggai.review.snapshot import MeasureView, ProblemView, Snapshot

RULES: tuple[Rule, ...] = measure_rules.RULES + problem_rules.RULES
PENALTY = {Severity.SERIOUS: 40, Severity.WARNING: 20, Severity.INFO: 5}


@dataclass(frozen=True)
class Review:
    snapshot: Snapshot
    findings: tuple[Finding, ...]

    def measure_findings(self, measure: MeasureView) -> list[Finding]:
        key = (measure.aspect, measure.problem, measure.no)
        return [f for f in self.findings if (f.aspect, f.problem, f.measure) == key]

    def problem_findings(self, problem: ProblemView) -> list[Finding]:
        key = (problem.aspect, problem.no, None)
        return [f for f in self.findings if (f.aspect, f.problem, f.measure) == key]

    def measure_score(self, measure: MeasureView) -> int:
        return _after_penalties(100, self.measure_findings(measure))

    def problem_score(self, problem: ProblemView) -> int:
        if not problem.measures:
            return 0
        start = mean(self.measure_score(m) for m in problem.measures)
        return _after_penalties(start, self.problem_findings(problem))

    def notice_score(self) -> int | None:
        """None when there is no problem to judge (a notice cut before its body)."""
        problems = self.snapshot.problems
        return round(mean(self.problem_score(p) for p in problems)) if problems else None

    def scores_json(self) -> dict[str, Any]:
        return {
            "notice": self.notice_score(),
            "problems": [
                {
                    "aspect": p.aspect,
                    "problem": p.no,
                    "score": self.problem_score(p),
                    "measures": [
                        {"measure": m.no, "score": self.measure_score(m)} for m in p.measures
                    ],
                }
                for p in self.snapshot.problems
            ],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "scores": self.scores_json(),
        }


def review(snapshot: Snapshot, rules: tuple[Rule, ...] = RULES) -> Review:
    found = [finding for rule in rules for finding in rule.check(snapshot)]
    found.sort(key=lambda f: (f.aspect, f.problem, f.measure or 0, f.rule))
    return Review(snapshot, tuple(found))


def review_measure(snapshot: Snapshot, measure: MeasureView) -> Review:
    """The findings on one measure, as ``review`` finds them, in time linear in the snapshot:
    the measure rules on that measure alone, the duplicate rule against the other problems'
    measures (a measure's page must not compare every pair of a 2,000-measure inspection).
    Its ``measure_findings`` and ``measure_score`` of ``measure`` equal those of ``review``."""
    problem = next(
        p for p in snapshot.problems if (p.aspect, p.no) == (measure.aspect, measure.problem)
    )
    alone = replace(snapshot, problems=(replace(problem, measures=(measure,)),))
    found = [f for rule in measure_rules.RULES for f in rule.check(alone)]
    found += problem_rules.duplicates_of(snapshot, measure)
    found.sort(key=lambda f: (f.aspect, f.problem, f.measure or 0, f.rule))
    return Review(snapshot, tuple(found))


def rule_by_id(rule_id: str) -> Rule:
    return next(r for r in RULES if r.id == rule_id)


def _after_penalties(start: float, findings: list[Finding]) -> int:
    return max(0, round(start - sum(PENALTY[f.severity] for f in findings)))

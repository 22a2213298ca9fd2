"""Rules that judge a problem as a whole, or compare measures across problems."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations

from zhenggai.review import words
from zhenggai.review.findings import Finding, Rule, Severity
from zhenggai.review.snapshot import MeasureView, ProblemView, Snapshot

# Bigram Jaccard from which two measures count as the same text reworded (tuned: docs/review.md).
DUPLICATE_THRESHOLD = 0.6


def no_measure(snapshot: Snapshot) -> Iterator[Finding]:
    for problem in snapshot.problems:
        if not problem.measures:
            yield _problem_finding(
                problem, "no_measure", Severity.SERIOUS, "问题下没有任何整改措施", (problem.title,)
            )


def long_term_without_mechanism(snapshot: Snapshot) -> Iterator[Finding]:
    for problem in snapshot.problems:
        text = "\n".join(m.text for m in problem.measures)
        promises = words.find_all(words.LONG_TERM, text)
        if promises and not words.MECHANISM.search(text):
            yield _problem_finding(
                problem,
                "long_term_no_mechanism",
                Severity.WARNING,
                "措施承诺长期、定期开展，但没有制定或修订任何制度、办法、方案、机制",
                promises,
            )


def duplicate(snapshot: Snapshot) -> Iterator[Finding]:
    measures = snapshot.measures()
    grams = {id(m): words.bigrams(m.text) for m in measures}
    for first, second in combinations(measures, 2):
        if (first.aspect, first.problem) == (second.aspect, second.problem):
            continue
        if words.jaccard(grams[id(first)], grams[id(second)]) >= DUPLICATE_THRESHOLD:
            yield _duplicate_finding(second, first)
            yield _duplicate_finding(first, second)


def duplicates_of(snapshot: Snapshot, measure: MeasureView) -> Iterator[Finding]:
    """The ``duplicate`` findings on one measure: it against every measure of the other
    problems, linear in the snapshot (``duplicate`` compares every pair)."""
    grams = words.bigrams(measure.text)
    for other in snapshot.measures():
        if (other.aspect, other.problem) == (measure.aspect, measure.problem):
            continue
        if words.jaccard(grams, words.bigrams(other.text)) >= DUPLICATE_THRESHOLD:
            yield _duplicate_finding(measure, other)


def _duplicate_finding(measure: MeasureView, other: MeasureView) -> Finding:
    where = f"第{other.aspect}方面第{other.problem}个问题第{other.no}条"
    return Finding(
        rule="duplicate",
        severity=Severity.WARNING,
        aspect=measure.aspect,
        problem=measure.problem,
        measure=measure.no,
        message=f"与{where}措施基本相同，一条措施套用于多个问题",
        evidence=(_opening(measure.text),),
    )


def _opening(text: str) -> str:
    """The first clause, enough for a reader to recognise the reused text."""
    return re.split("[，。；]", text, maxsplit=1)[0][:40]


def _problem_finding(
    problem: ProblemView, rule: str, severity: Severity, message: str, evidence: tuple[str, ...]
) -> Finding:
    return Finding(rule, severity, problem.aspect, problem.no, None, message, evidence)


RULES = (
    Rule(
        "no_measure",
        "问题无措施",
        Severity.SERIOUS,
        "通报列出了问题，却没有写任何整改措施。",
        no_measure,
    ),
    Rule(
        "long_term_no_mechanism",
        "长期坚持无机制",
        Severity.WARNING,
        "问题的措施承诺长期坚持、常态化、定期开展，却没有制定、修订或建立任何制度、办法、方案、"
        "规定或机制。",
        long_term_without_mechanism,
    ),
    Rule(
        "duplicate",
        "重复",
        Severity.WARNING,
        "同一条（或几乎相同的）措施出现在不同问题下。",
        duplicate,
    ),
)

"""Review rectification for signs of paper-only work (形式主义整改); pure Python, no Django.

>>> from zhenggai.notice import parse, read
>>> from zhenggai.review import from_notice, review
>>> result = review(from_notice(parse(read("通报.txt"))))
>>> result.to_json()["scores"]["notice"]
"""

from zhenggai.review.engine import PENALTY, RULES, Review, review, review_measure, rule_by_id
from zhenggai.review.findings import Finding, Rule, Severity
from zhenggai.review.snapshot import MeasureView, ProblemView, Snapshot, from_notice

__all__ = [
    "PENALTY",
    "RULES",
    "Finding",
    "MeasureView",
    "ProblemView",
    "Review",
    "Rule",
    "Severity",
    "Snapshot",
    "from_notice",
    "review",
    "review_measure",
    "rule_by_id",
]

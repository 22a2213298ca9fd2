"""Findings and rules: the vocabulary shared by every check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from zhenggai.review.snapshot import Snapshot


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        return {"info": "提示", "warning": "警示", "serious": "严重"}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    aspect: int
    problem: int
    measure: int | None  # None: the finding is about the problem as a whole
    message: str
    evidence: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "aspect": self.aspect,
            "problem": self.problem,
            "measure": self.measure,
            "message": self.message,
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Rule:
    id: str  # stable English id, used in JSON and labels
    name: str  # the reviewers' Chinese name
    severity: Severity  # default; a check may lower or raise it for one finding
    explanation: str  # what the rule looks for, in Chinese, for reports and docs
    check: Callable[[Snapshot], Iterable[Finding]]

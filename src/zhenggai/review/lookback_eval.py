"""Measure the look-back matcher on labelled rounds (``tests/review/lookback_pairs``).

Pure Python, no Django. A unit's file holds its rounds, earliest first, and which later problem
repeats which earlier one. Each later round is matched the way ``assessment.links`` matches an
imported inspection: against every problem of the unit's earlier rounds, with the IDF taken
over the round and its earlier problems, keeping the best ``limit`` at or above the related
threshold. Two figures come out, the ones the look-back is judged by:

- **right first**: of the later problems that are true repeats, the share whose best candidate
  is one of the right earlier problems and is reported as a repeat;
- **false repeat links**: of the (later, earlier) pairs labelled *not* the same problem, the
  share reported as a repeat link (also given as a share of all repeat links reported).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhenggai.review import lookback


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class Unit:
    name: str
    split: str  # "tuning" or "held-out"
    rounds: tuple[tuple[Problem, ...], ...]
    repeats: dict[str, frozenset[str]]


def load_units(folder: Path) -> list[Unit]:
    return [_unit(json.loads(path.read_text("utf-8"))) for path in sorted(folder.glob("*.json"))]


def _unit(raw: dict[str, Any]) -> Unit:
    rounds = tuple(
        tuple(Problem(p["id"], p["title"], p.get("text", "")) for p in r["problems"])
        for r in raw["rounds"]
    )
    repeats = {later: frozenset(earlier) for later, earlier in raw["repeats"].items()}
    return Unit(raw["unit"], raw["split"], rounds, repeats)


@dataclass
class Figures:
    pairs: int = 0
    repeats: int = 0  # later problems that are true repeats
    right_first: int = 0
    non_repeat_pairs: int = 0
    false_links: int = 0
    repeat_links: int = 0
    misses: list[str] = field(default_factory=list)  # true repeats not linked first
    wrong: list[str] = field(default_factory=list)  # repeat links to the wrong problem

    @property
    def recall(self) -> float:
        return self.right_first / self.repeats if self.repeats else 1.0

    @property
    def false_rate(self) -> float:
        return self.false_links / self.non_repeat_pairs if self.non_repeat_pairs else 0.0

    @property
    def false_share(self) -> float:
        return self.false_links / self.repeat_links if self.repeat_links else 0.0


def evaluate(units: Iterable[Unit], *, threshold: float | None = None) -> Figures:
    """The two figures over ``units`` at the repeat ``threshold`` (the module's by default)."""
    threshold = lookback.REPEAT_THRESHOLD if threshold is None else threshold
    figures = Figures()
    for unit in units:
        for index in range(1, len(unit.rounds)):
            earlier = [p for r in unit.rounds[:index] for p in r]
            _score_round(unit, unit.rounds[index], earlier, threshold=threshold, figures=figures)
    return figures


def _score_round(
    unit: Unit,
    later: Sequence[Problem],
    earlier: Sequence[Problem],
    *,
    threshold: float,
    figures: Figures,
) -> None:
    candidates = [lookback.Candidate(i, p.title, p.text) for i, p in enumerate(earlier)]
    corpus = [f"{p.title} {p.text}" for p in (*later, *earlier)]
    matcher = lookback.Matcher(corpus)
    for problem in later:
        right = unit.repeats.get(problem.id, frozenset()) & {p.id for p in earlier}
        found = lookback.match(problem.title, problem.text, candidates, matcher=matcher)
        linked = [(earlier[m.key].id, m.score) for m in found if m.score >= threshold]
        figures.pairs += len(earlier)
        figures.non_repeat_pairs += len(earlier) - len(right)
        figures.repeat_links += len(linked)
        bad = [(key, score) for key, score in linked if key not in right]
        figures.false_links += len(bad)
        figures.wrong.extend(
            f"{problem.title} → {_title(earlier, key)} ({score:.2f})" for key, score in bad
        )
        if right:
            figures.repeats += 1
            if linked and linked[0][0] in right:
                figures.right_first += 1
            else:
                figures.misses.append(f"{problem.title} ↛ {_title(earlier, min(right))}")


def _title(problems: Sequence[Problem], key: str) -> str:
    return next(p.title for p in problems if p.id == key)

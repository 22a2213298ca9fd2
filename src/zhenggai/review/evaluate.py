"""Precision and recall of each rule against hand-written labels.

``python -m zhenggai.review.evaluate tests/review/labels/*.json`` prints a Markdown table.

A labels file is a JSON list of notices: ``{"notice": path relative to the labels file,
"labels": [{"aspect", "problem", "measure" (null: the problem), "rules": [...], "reason"}]}``.
Only labelled places count: a finding on a measure nobody labelled (a cut-off fixture) is
neither right nor wrong.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from zhenggai.notice.parse import parse
from zhenggai.notice.read import read
from zhenggai.review.engine import RULES, review
from zhenggai.review.snapshot import from_notice

Place = tuple[str, int, int, int | None]  # notice, aspect, problem, measure
# Fixed so the measured table does not drift with the calendar (dates after "today").
EVALUATION_DAY = date(2026, 1, 1)


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float | None:
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else None


def evaluate(label_files: Iterable[Path]) -> dict[str, Tally]:
    tallies = {rule.id: Tally() for rule in RULES}
    for path in label_files:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            expected = _expected(entry)
            found = _found(path.parent / entry["notice"], set(expected))
            _count(tallies, expected, found)
    return tallies


def _expected(entry: dict[str, object]) -> dict[Place, set[str]]:
    labels = entry["labels"]
    assert isinstance(labels, list)
    notice = str(entry["notice"])
    return {
        (notice, lab["aspect"], lab["problem"], lab["measure"]): set(lab["rules"]) for lab in labels
    }


def _found(notice_path: Path, places: set[Place]) -> dict[Place, set[str]]:
    name = next(iter(places))[0]
    result = review(from_notice(parse(read(notice_path)), today=EVALUATION_DAY))
    found: dict[Place, set[str]] = {place: set() for place in places}
    for f in result.findings:
        place = (name, f.aspect, f.problem, f.measure)
        if place in found:
            found[place].add(f.rule)
    return found


def _count(
    tallies: dict[str, Tally], expected: dict[Place, set[str]], found: dict[Place, set[str]]
) -> None:
    for place, wanted in expected.items():
        got = found[place]
        for rule_id, tally in tallies.items():
            tally.true_positive += rule_id in wanted and rule_id in got
            tally.false_positive += rule_id in got and rule_id not in wanted
            tally.false_negative += rule_id in wanted and rule_id not in got


def table(tallies: dict[str, Tally]) -> str:
    rows = [
        "| rule | 名称 | TP | FP | FN | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for rule in RULES:
        t = tallies[rule.id]
        rows.append(
            f"| {rule.id} | {rule.name} | {t.true_positive} | {t.false_positive} "
            f"| {t.false_negative} | {_ratio(t.precision)} | {_ratio(t.recall)} |"
        )
    return "\n".join(rows)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="规则准确率与召回率（对照人工标注）")
    parser.add_argument("labels", nargs="+", type=Path, help="标注文件（JSON）")
    args = parser.parse_args(argv)
    print(table(evaluate(args.labels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

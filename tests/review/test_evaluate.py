"""The measurement script runs on the labels kept in the repository."""

from __future__ import annotations

from pathlib import Path

from zhenggai.review.evaluate import evaluate, table

LABELS = Path(__file__).parent / "labels"


def test_every_seed_measure_is_labelled(seed_path: Path) -> None:
    import json

    (entry,) = json.loads((LABELS / "seed.json").read_text(encoding="utf-8"))
    measures = [lab for lab in entry["labels"] if lab["measure"] is not None]
    assert len(measures) == 31
    assert all(lab["reason"] for lab in entry["labels"])


def test_the_table_has_a_row_per_rule(seed_path: Path) -> None:
    tallies = evaluate([LABELS / "seed.json"])
    assert tallies["pending"].recall == 1.0
    assert "| vague | 空泛 |" in table(tallies)

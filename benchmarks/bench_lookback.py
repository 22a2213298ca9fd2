"""Look-back matcher: accuracy on labelled rounds and the time to match a round.

    python benchmarks/bench_lookback.py --write docs/benchmarks.md

Accuracy: ``zhenggai.review.lookback_eval`` over tests/review/lookback_pairs, tuning and held-out
units reported apart (docs/lookback.md). Speed: a 40-problem round (titles and measures of the
labelled units and the seed, cycled) matched against three earlier rounds of 40 as
``assessment.links.link_repeats`` does (one Matcher, best 3 per problem); median of 20 runs,
each with cold caches.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sections import write_section

from zhenggai.review import lookback, lookback_eval

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python benchmarks/bench_lookback.py --write docs/benchmarks.md"


def accuracy() -> str:
    units = lookback_eval.load_units(ROOT / "tests/review/lookback_pairs")
    lines = [
        "| units | pairs | right earlier problem first | false repeat links"
        " (of non-repeat pairs) | wrong share of repeat links |",
        "|---|---|---|---|---|",
    ]
    for split in ("tuning", "held-out"):
        chosen = [u for u in units if u.split == split]
        f = lookback_eval.evaluate(chosen)
        lines.append(
            f"| {split} ({len(chosen)}) | {f.pairs} | {f.right_first}/{f.repeats} ({f.recall:.0%}) "
            f"| {f.false_links}/{f.non_repeat_pairs} ({f.false_rate:.1%}) "
            f"| {f.false_links}/{f.repeat_links} ({f.false_share:.0%}) |"
        )
    return "\n".join(lines)


def speed(runs: int = 20) -> float:
    units = lookback_eval.load_units(ROOT / "tests/review/lookback_pairs")
    pool = [p for u in units for r in u.rounds for p in r]
    texts = [(f"{p.title}", p.text or "制定整改方案，明确责任人和时限") for p in pool]
    rounds = [[texts[(i * 7 + k) % len(texts)] for i in range(40)] for k in range(4)]
    timings = []
    for _ in range(runs):
        lookback.areas.cache_clear()
        lookback.area_vector.cache_clear()
        started = time.perf_counter()
        new, earlier = rounds[0], [t for r in rounds[1:] for t in r]
        candidates = [lookback.Candidate(i, t, x) for i, (t, x) in enumerate(earlier)]
        matcher = lookback.Matcher([f"{t} {x}" for t, x in (*new, *earlier)])
        for title, text in new:
            lookback.match(title, text, candidates, matcher=matcher)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    table = accuracy()
    ms = speed()
    text = (
        "## Look-back matching\n\n"
        f"Command: `{COMMAND}`\n\n{table}\n\n"
        f"Matching a 40-problem round against three earlier rounds of 40 (120 candidates): "
        f"**{ms:.1f} ms** median of 20 runs (goal ≤ 50 ms)."
    )
    print(text)
    if args.write:
        write_section(args.write, "lookback", text)


if __name__ == "__main__":
    main()

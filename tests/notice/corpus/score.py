"""Header score of the parser on the corpus, per field and per split.

    python tests/notice/corpus/score.py [tuning|held-out|all] [-v]

Counts as ../shared/tools/score_notice.py does (a field is scored where the golden value is
known; titles and issuers compared without spaces and punctuation; the group right when one
contains the other), split by field. ``-v`` lists every miss.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from zhenggai.notice.parse import parse
from zhenggai.notice.read import read

HERE = Path(__file__).resolve().parent
FIELDS = ("title", "issuer", "group", "start", "end", "feedback", "stated")


def corpus(split: str = "all") -> list[tuple[Path, dict[str, Any]]]:
    """(text path, metadata) of every corpus notice in ``split``."""
    out = []
    for meta_path in sorted(HERE.glob("*/*.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        if split in ("all", meta["split"]):
            out.append((meta_path.with_suffix(".txt"), meta))
    return out


def _norm(value: str | None) -> str:
    return re.sub(r"[\s，。、：:；;“”\"'（）()]", "", value or "")


def field_results(gold: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, bool]]:
    """(field, right) for each field the golden knows."""
    results: list[tuple[str, bool]] = []
    gi, oi = gold.get("inspection") or {}, got.get("inspection") or {}
    for key in ("title", "issuer"):
        if gold.get(key):
            results.append((key, _norm(gold[key]) == _norm(got.get(key))))
    if gi.get("group"):
        want, have = _norm(gi["group"]), _norm(oi.get("group"))
        results.append(("group", bool(have) and (want in have or have in want)))
    for key in ("start", "end", "feedback"):
        if gi.get(key):
            results.append((key, gi[key] == oi.get(key)))
    got_stated = got.get("stated") or {}
    for key, value in (gold.get("stated") or {}).items():
        if value is not None:
            results.append(("stated", got_stated.get(key) == value))
    return results


def score(split: str = "all", verbose: bool = False) -> tuple[Counter[str], Counter[str]]:
    """(right, total) per field over ``split``; misses printed when ``verbose``."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text_path, meta in corpus(split):
        got = parse(read(text_path)).to_dict()
        for field, ok in field_results(meta["golden"], got):
            total[field] += 1
            right[field] += ok
            if verbose and not ok:
                gold_value = meta["golden"].get(field) or (meta["golden"]["inspection"].get(field))
                have = got.get(field) or (got.get("inspection") or {}).get(field)
                print(f"  miss {text_path.stem} {field}: want {gold_value!r} got {have!r}")
    return right, total


def report(split: str, right: Counter[str], total: Counter[str]) -> str:
    fields = "  ".join(f"{f} {right[f]}/{total[f]}" for f in FIELDS if total[f])
    r, t = sum(right.values()), sum(total.values())
    return f"{split}: {len(corpus(split))} notices, header {r}/{t} ({r / t:.1%})  {fields}"


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    splits = [a for a in argv if not a.startswith("-")] or ["tuning", "held-out"]
    for split in splits:
        right, total = score(split, verbose)
        print(report(split, right, total))


if __name__ == "__main__":
    main(sys.argv[1:])

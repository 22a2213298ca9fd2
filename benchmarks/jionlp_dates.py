"""Time jionlp's ``extract_time`` on texts given as JSON; print timings and day-precision dates.

Runs ONLY under a throwaway interpreter that has jionlp (never a zhenggai dependency):

    python3 -m venv /tmp/jionlp-venv && /tmp/jionlp-venv/bin/pip install jionlp

``benchmarks/bench_notice.py`` starts it as a subprocess. Standard input, one JSON object:
``{"texts": [...], "time_base": "2024-04-01", "timer": "cpu", "warmup": 3, "repeat": 30}``
(timer ``cpu``: ``time.process_time``, ``wall``: ``time.perf_counter``). Standard output,
one JSON object: ``{"jionlp_version", "import_s", "runs_s": [...], "dates": [[[start, end],
...] per text]}``. One run is ``extract_time`` over every text in order; the import is not timed.

A result counts as a day-precision date, mirroring the scorer (which keeps ``precision ==
"day"`` only), when jionlp calls it ``accurate`` and its span is whole days (00:00:00 to
23:59:59) that is a single day, or a range that is not whole calendar months (jionlp gives
2024年 or 第一季度 as 2024-01-01 … 2024-12-31 / 03-31: year and quarter precision, not day).
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import json
import sys
import time
import timeit
from typing import Any

TIMERS = {"cpu": time.process_time, "wall": time.perf_counter}
_DAY_START = " 00:00:00"
_DAY_END = " 23:59:59"


def _import_jionlp() -> tuple[Any, float]:
    """jionlp and its import time; its banner goes to stderr so stdout stays JSON."""
    began = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        try:
            import jionlp
        except ImportError:
            sys.exit(
                "jionlp is not installed in this interpreter; create the throwaway env:\n"
                "  python3 -m venv /tmp/jionlp-venv && /tmp/jionlp-venv/bin/pip install jionlp"
            )
    return jionlp, time.perf_counter() - began


def _whole_months(start: dt.date, end: dt.date) -> bool:
    last = calendar.monthrange(end.year, end.month)[1]
    return start.day == 1 and end.day == last


def day_pair(entity: dict[str, Any]) -> tuple[str, str] | None:
    """``(start, end)`` ISO days when ``entity`` is a day-precision date, else None."""
    detail = entity.get("detail") or {}
    span = detail.get("time")
    if detail.get("definition") != "accurate" or not isinstance(span, list) or len(span) != 2:
        return None
    first, last = span
    if not (
        isinstance(first, str)
        and isinstance(last, str)
        and first.endswith(_DAY_START)
        and last.endswith(_DAY_END)
    ):
        return None
    start, end = first[:10], last[:10]
    if start != end and _whole_months(dt.date.fromisoformat(start), dt.date.fromisoformat(end)):
        return None
    return start, end


def _extract_all(extract_time: Any, texts: list[str], time_base: Any) -> list[list[Any]]:
    return [extract_time(text, time_base=time_base) for text in texts]


def main() -> None:
    request = json.load(sys.stdin)
    jionlp, import_s = _import_jionlp()
    texts: list[str] = request["texts"]
    base = dt.date.fromisoformat(request["time_base"])
    time_base = {"year": base.year, "month": base.month, "day": base.day}
    extract_time = jionlp.ner.extract_time

    def run() -> list[list[Any]]:
        return _extract_all(extract_time, texts, time_base)

    with contextlib.redirect_stdout(sys.stderr):
        for _ in range(request["warmup"]):
            run()
        timer = TIMERS[request["timer"]]
        runs = timeit.repeat(run, timer=timer, number=1, repeat=request["repeat"])
        found = run()
    dates = [[pair for pair in map(day_pair, entities) if pair] for entities in found]
    out = {
        "jionlp_version": getattr(jionlp, "__version__", "unknown"),
        "import_s": import_s,
        "runs_s": runs,
        "dates": dates,
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()

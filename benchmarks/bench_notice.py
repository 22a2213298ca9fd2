"""Notice parser benchmark: seed parse latency, throughput, and dates against jionlp.

    python benchmarks/bench_notice.py [--jionlp-python /tmp/jionlp-venv/bin/python]
                                      [--write docs/benchmarks.md]

Run with the project's virtualenv. jionlp is never a zhenggai dependency: its side runs in a
throwaway interpreter (``benchmarks/jionlp_dates.py`` in a subprocess, in the same run):

    python3 -m venv /tmp/jionlp-venv && /tmp/jionlp-venv/bin/pip install jionlp

Everything runs pinned to one CPU (the jionlp subprocess inherits the pinning). Timings come
from ``timeit.repeat`` (one call per sample, garbage collector off while timing) after warm-up.
``--timer cpu`` (the default) times with ``time.process_time``: the CPU time the parse costs,
which stays honest on a shared, loaded machine; ``--timer wall`` uses ``time.perf_counter``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from _sections import write_section  # benchmarks/ is on sys.path when run as a script

from zhenggai.notice import parse
from zhenggai.notice.dates import DateResolver

SHARED = Path("/work/shared")
DEFAULT_SEED = SHARED / "seed" / "longting-kexie-2024.txt"
DEFAULT_GOLDEN = SHARED / "golden" / "longting-kexie-2024.json"
DEFAULT_FIXTURES = SHARED / "fixtures" / "notices"
DEFAULT_JIONLP_PYTHON = Path("/tmp/jionlp-venv/bin/python")
JIONLP_SCRIPT = Path(__file__).with_name("jionlp_dates.py")
JIONLP_SETUP = "python3 -m venv /tmp/jionlp-venv && /tmp/jionlp-venv/bin/pip install jionlp"
# The seed notice dates from spring 2024: jionlp resolves year-less dates against this day.
TIME_BASE = "2024-04-01"

MB = 1_000_000  # bytes
CORPUS_MIN_BYTES = 1 * MB
SEED_MEDIAN_TARGET_MS = 2.0
THROUGHPUT_TARGET_MBS = 5.0
SPEED_RATIO_TARGET = 10.0
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TIMERS = {"cpu": time.process_time, "wall": time.perf_counter}
TIMER_NAMES = {"cpu": "CPU time (`time.process_time`)", "wall": "wall clock (`time.perf_counter`)"}


@dataclass
class Settings:
    timer: str
    warmup: int
    seed_repeat: int
    corpus_repeat: int
    dates_repeat: int


@dataclass
class Row:
    figure: str
    measured: str
    target: str
    passed: bool | None  # None: informational, no target


# --- machine and timing -------------------------------------------------------------------


def pin_one_core() -> int:
    """Pin this process (and its future children) to one allowed CPU; return its number."""
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found[1].strip() if found else "unknown"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "unknown"


def samples(func: Callable[[], object], timer: str, warmup: int, repeat: int) -> list[float]:
    """Seconds per call of ``func``, one call per sample, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        func()
    return timeit.repeat(func, timer=TIMERS[timer], number=1, repeat=repeat)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


# --- inputs -------------------------------------------------------------------------------


def golden_measures(golden: dict) -> list[dict]:
    return [
        measure
        for aspect in golden.get("aspects") or []
        for problem in aspect.get("problems") or []
        for measure in problem.get("measures") or []
    ]


def opening_of(seed: str, golden: dict) -> str:
    """The seed up to the line of its first aspect: title block and opening paragraph."""
    first_title = golden["aspects"][0]["title"]
    return seed[: seed.rfind("\n", 0, seed.index(first_title)) + 1]


def corpus(texts: list[str], min_bytes: int) -> list[str]:
    """``texts`` repeated, in order, until their UTF-8 size reaches ``min_bytes``."""
    out: list[str] = []
    size = 0
    while size < min_bytes:
        for text in texts:
            out.append(text)
            size += len(text.encode("utf-8"))
    return out


# --- scoring (the scorer's rule: day precision only, start and end days per measure) -------


def iso_days(pairs: Iterable[tuple[str | None, str | None]]) -> set[str]:
    return {
        day for pair in pairs for day in pair if isinstance(day, str) and ISO_DAY.fullmatch(day)
    }


def gold_days(measure: dict) -> set[str]:
    dates = measure.get("dates") or []
    return iso_days((d.get("start"), d.get("end")) for d in dates if d.get("precision") == "day")


def date_f1(gold: list[set[str]], got: list[set[str]]) -> tuple[float, int, int, int]:
    """F1, true positives, golden total, found total over measures paired in order."""
    tp = sum(len(g & o) for g, o in zip(gold, got, strict=True))
    n_gold = sum(map(len, gold))
    n_got = sum(map(len, got))
    return (0.0 if tp == 0 else 2 * tp / (n_gold + n_got)), tp, n_gold, n_got


# --- the benchmarks -----------------------------------------------------------------------


def bench_seed(seed: str, settings: Settings) -> dict:
    runs = samples(lambda: parse(seed), settings.timer, settings.warmup, settings.seed_repeat)
    return {"median_s": median(runs), "p95_s": p95(runs), "runs": len(runs)}


def bench_throughput(texts: list[str], settings: Settings) -> dict:
    notices = corpus(texts, CORPUS_MIN_BYTES)
    size = sum(len(text.encode("utf-8")) for text in notices)

    def parse_all() -> None:
        for text in notices:
            parse(text)

    runs = samples(parse_all, settings.timer, 1, settings.corpus_repeat)
    return {
        "bytes": size,
        "notices": len(notices),
        "median_s": median(runs),
        "mbs": size / MB / median(runs),
    }


def our_dates(opening: str, texts: list[str], settings: Settings) -> dict:
    """DateResolver over ``texts`` in order, starting from the state the opening leaves.

    Only the measure texts are timed, the same texts jionlp gets: each run starts a resolver
    at the year and month the opening paragraph set (jionlp gets ``time_base`` instead).
    """
    primed = DateResolver()
    primed.extract(opening)

    def run() -> list[list]:
        resolver = DateResolver(year=primed.year, month=primed.month)
        return [resolver.extract(text) for text in texts]

    runs = samples(run, settings.timer, settings.warmup, settings.dates_repeat)
    found = [
        iso_days((m.start, m.end) for m in mentions if m.precision == "day") for mentions in run()
    ]
    return {"runs_s": runs, "days": found}


def jionlp_dates(python: Path, texts: list[str], settings: Settings) -> dict:
    """jionlp's side, timed in its own interpreter with the same warm-up and repetitions."""
    if not python.exists():
        sys.exit(f"no jionlp interpreter at {python}; create the throwaway env:\n  {JIONLP_SETUP}")
    request = {
        "texts": texts,
        "time_base": TIME_BASE,
        "timer": settings.timer,
        "warmup": settings.warmup,
        "repeat": settings.dates_repeat,
    }
    done = subprocess.run(
        [str(python), str(JIONLP_SCRIPT)],
        input=json.dumps(request, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{JIONLP_SCRIPT.name} failed:\n{done.stderr}\nthrowaway env: {JIONLP_SETUP}")
    result = json.loads(done.stdout)
    result["days"] = [iso_days(map(tuple, pairs)) for pairs in result["dates"]]
    return result


# --- report -------------------------------------------------------------------------------


def verdict(passed: bool | None) -> str:
    return "—" if passed is None else ("PASS" if passed else "FAIL")


def figure_rows(seed: dict, throughput: dict, ours: dict, jio: dict, n_texts: int) -> list[Row]:
    ours_run, jio_run = median(ours["runs_s"]), median(jio["runs_s"])
    ratio = jio_run / ours_run
    ours_f1, jio_f1 = ours["f1"], jio["f1"]
    return [
        Row(
            f"`parse` of the seed, median ({seed['runs']} runs)",
            f"{seed['median_s'] * 1e3:.2f} ms",
            f"≤ {SEED_MEDIAN_TARGET_MS:g} ms",
            seed["median_s"] * 1e3 <= SEED_MEDIAN_TARGET_MS,
        ),
        Row("`parse` of the seed, p95", f"{seed['p95_s'] * 1e3:.2f} ms", "—", None),
        Row(
            f"`parse` throughput ({throughput['bytes'] / MB:.2f} MB, "
            f"{throughput['notices']} notices, one by one)",
            f"{throughput['mbs']:.2f} MB/s",
            f"≥ {THROUGHPUT_TARGET_MBS:g} MB/s",
            throughput["mbs"] >= THROUGHPUT_TARGET_MBS,
        ),
        Row(
            "`DateResolver.extract`, per measure text (median)",
            f"{ours_run / n_texts * 1e6:.1f} µs",
            "—",
            None,
        ),
        Row(
            f"jionlp {jio['jionlp_version']} `extract_time`, per measure text (median)",
            f"{jio_run / n_texts * 1e6:.1f} µs",
            "—",
            None,
        ),
        Row(
            "Speed ratio, jionlp time / ours (same texts)",
            f"{ratio:.1f}×",
            f"≥ {SPEED_RATIO_TARGET:g}×",
            ratio >= SPEED_RATIO_TARGET,
        ),
        Row(
            "Date F1, `DateResolver` (day precision, per measure)",
            f"{ours_f1[0]:.3f} ({ours_f1[1]}/{ours_f1[2]} gold, {ours_f1[3]} found)",
            "> jionlp",
            ours_f1[0] > jio_f1[0],
        ),
        Row(
            "Date F1, jionlp `extract_time`",
            f"{jio_f1[0]:.3f} ({jio_f1[1]}/{jio_f1[2]} gold, {jio_f1[3]} found)",
            "—",
            None,
        ),
    ]


def table(rows: list[Row]) -> str:
    lines = ["| Figure | Measured | Target | Result |", "|---|---|---|---|"]
    lines += [f"| {r.figure} | {r.measured} | {r.target} | {verdict(r.passed)} |" for r in rows]
    return "\n".join(lines)


def markdown(rows: list[Row], context: dict) -> str:
    return f"""## Notice parser

Produced by (from the repository root, project virtualenv active):

```
{context["command"]}
```

- Date: {context["date"]}
- Machine: {context["cpu"]}, pinned to CPU {context["core"]} (one core); load average
  {context["load"]} when the run started (a shared machine)
- Python: {context["python"]} (ours); jionlp ran in `{context["jionlp_python"]}`
- Inputs: seed `{context["seed"]}` ({context["seed_bytes"]} bytes UTF-8); throughput corpus =
  the seed + {context["fixtures"]} fixtures from `{context["fixture_dir"]}`, repeated to
  ≥ 1 MB (MB = 10⁶ bytes); dates: the seed's {context["n_texts"]} measure texts from
  `{context["golden"]}`, in order.

{table(rows)}

How it is measured:

- Timer: {context["timer"]}. Timings are `timeit.repeat` samples of one call
  each, after {context["warmup"]} warm-up calls (the throughput corpus: one warm-up
  pass, {context["corpus_repeat"]} timed passes); the seed parse is sampled
  {context["seed_repeat"]} times, the date runs {context["dates_repeat"]} times on each side.
- Dates, side by side in the same run: one date run is every measure text in order. Ours:
  a `DateResolver` starting at the year and month the opening paragraph leaves it with (what
  `parse` does). jionlp: `jionlp.ner.extract_time(text, time_base={context["time_base"]})` in
  a subprocess (`benchmarks/jionlp_dates.py`), import excluded, same warm-up and repetitions.
- Date F1 follows `score_notice.py`: per measure, the start and end days of day-precision
  dates; tp = |gold ∩ found|, F1 = 2·tp / (n_gold + n_found). A jionlp result counts as day
  precision when it is `accurate` and spans whole days (00:00:00 … 23:59:59): a single day,
  or a range that is not whole calendar months (its 2024年 / 第一季度 / 今年 are year or
  quarter precision).
- jionlp is never a zhenggai dependency; its throwaway env: `{JIONLP_SETUP}`.
"""


def context(args: argparse.Namespace, settings: Settings, core: int, extra: dict) -> dict:
    return {
        "command": shlex.join(["python", *sys.argv]),
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu_model(),
        "core": core,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "jionlp_python": args.jionlp_python,
        "seed": args.seed,
        "golden": args.golden,
        "fixture_dir": args.fixtures,
        "time_base": TIME_BASE,
        "timer": TIMER_NAMES[settings.timer],
        "warmup": settings.warmup,
        "seed_repeat": settings.seed_repeat,
        "corpus_repeat": settings.corpus_repeat,
        "dates_repeat": settings.dates_repeat,
        **extra,
    }


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jionlp-python", type=Path, default=DEFAULT_JIONLP_PYTHON)
    parser.add_argument("--write", type=Path, help="write the results as Markdown here")
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--golden", type=Path, default=DEFAULT_GOLDEN)
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
    parser.add_argument("--timer", choices=sorted(TIMERS), default="cpu")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed-repeat", type=int, default=500)
    parser.add_argument("--corpus-repeat", type=int, default=5)
    parser.add_argument("--dates-repeat", type=int, default=30)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    settings = Settings(
        args.timer, args.warmup, args.seed_repeat, args.corpus_repeat, args.dates_repeat
    )
    core = pin_one_core()
    load = load_average()
    seed = args.seed.read_text(encoding="utf-8")
    golden = json.loads(args.golden.read_text(encoding="utf-8"))
    fixtures = [p.read_text(encoding="utf-8") for p in sorted(args.fixtures.glob("*.txt"))]
    measures = golden_measures(golden)
    texts = [m["text"] for m in measures]
    gold = [gold_days(m) for m in measures]

    seed_result = bench_seed(seed, settings)
    throughput = bench_throughput([seed, *fixtures], settings)
    ours = our_dates(opening_of(seed, golden), texts, settings)
    jio = jionlp_dates(args.jionlp_python, texts, settings)
    for side in (ours, jio):
        side["f1"] = date_f1(gold, side["days"])

    rows = figure_rows(seed_result, throughput, ours, jio, len(texts))
    extra = {
        "seed_bytes": len(seed.encode("utf-8")),
        "fixtures": len(fixtures),
        "n_texts": len(texts),
        "load": load,
    }
    report = markdown(rows, context(args, settings, core, extra))
    print(report)
    if args.write:
        write_section(args.write, "notice", report)
        print(f"written to {args.write}", file=sys.stderr)


if __name__ == "__main__":
    main()

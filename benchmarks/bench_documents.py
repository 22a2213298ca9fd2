"""Document benchmark: the public notice of a 40-problem unit (target ≤ 1 s).

    python benchmarks/bench_documents.py [--runs 20] [--pdf] [--write docs/benchmarks.md]

Builds a throwaway ledger (SQLite in a temporary data directory, migrated here) holding one
inspection of 4 aspects × 10 problems, each with the measures of a seed problem in turn
(the seed's real texts, 2–3 measures each), imported through the ledger's own notice import.
Then times, wall clock after one warm-up run:

- ledger → .docx: ``notice_document_for(inspection)`` saved to memory (queries included);
- Notice → .docx: ``notice_document(notice)`` saved to memory (no database);
- with ``--pdf``, one LibreOffice conversion of that document.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _sections import write_section  # benchmarks/ is on sys.path when run as a script

SEED = Path("/work/shared/seed/longting-kexie-2024.txt")


def forty_problem_notice() -> object:
    from zhenggai.notice import Aspect, parse, read

    seed = parse(read(SEED))
    problems = [p for a in seed.aspects for p in a.problems]
    aspects = []
    for a in range(4):
        aspect = Aspect(no=a + 1, title=seed.aspects[a].title)
        for n in range(10):
            problem = copy.deepcopy(problems[(a * 10 + n) % len(problems)])
            problem.no, problem.implicit = n + 1, False
            aspect.problems.append(problem)
        aspects.append(aspect)
    seed.aspects = aspects
    return seed


def ledger_inspection(notice: object) -> object:
    from django.core.management import call_command

    from zhenggai.ledger.importing import confirm_notice_import
    from zhenggai.ledger.models import (
        InspectionGroup,
        InspectionRound,
        Membership,
        Region,
        Role,
        Unit,
        User,
    )

    call_command("migrate", interactive=False, verbosity=0)
    region = Region.objects.create(name="龙亭区")
    office = User.objects.create_user(username="office", password="x")
    Membership.objects.create(user=office, role=Role.OFFICE, region=region)
    return confirm_notice_import(
        notice,  # type: ignore[arg-type]
        by=office,
        unit=Unit.objects.create(region=region, name="龙亭区科协党组"),
        round=InspectionRound.objects.create(region=region, name="第五轮巡察"),
        group=InspectionGroup.objects.create(region=region, name="区委第一巡察组"),
    )


def timed(work: Callable[[], object], runs: int) -> list[float]:
    work()  # warm-up: imports, template loading
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


def saved(doc: object) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def report(label: str, samples: list[float]) -> str:
    median = statistics.median(samples)
    line = (f"{label}: median {median * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms "
            f"({len(samples)} runs)")  # fmt: skip
    print(line)
    return line


def markdown(lines: list[str], shape: str, ok: bool) -> str:
    verdict = "PASS" if ok else "FAIL"
    cpu = next(
        (row.split(":", 1)[1].strip() for row in Path("/proc/cpuinfo").read_text().splitlines()
         if row.startswith("model name")),
        platform.machine(),
    )  # fmt: skip
    body = "\n".join(f"- {line}" for line in lines)
    return f"""## Documents: the public notice of a 40-problem unit

Produced by (from the repository root, project virtualenv active):

```
{shlex.join(["python", *sys.argv])}
```

- Date: {dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}; machine: {cpu};
  Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f} at the start
- Ledger: {shape} (the seed's real texts, imported through the ledger's notice import)
- Timer: wall clock (`time.perf_counter`), after one warm-up run; queries included

{body}

Target ≤ 1 s for the ledger → notice .docx (median): **{verdict}**.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--write", type=Path, help="write the results into this Markdown file")
    args = parser.parse_args()
    os.environ["ZHENGGAI_DATA"] = tempfile.mkdtemp(prefix="zhenggai-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    import django

    django.setup()
    from zhenggai.reports.documents import notice_document_for
    from zhenggai.reports.notice import notice_document

    notice = forty_problem_notice()
    inspection = ledger_inspection(notice)
    problems = (
        inspection.aspects.count(),
        sum(  # type: ignore[attr-defined]
            a.problems.count()
            for a in inspection.aspects.all()  # type: ignore[attr-defined]
        ),
    )
    measures = inspection.measures.count()  # type: ignore[attr-defined]
    shape = f"{problems[0]} aspects, {problems[1]} problems, {measures} measures"
    print(f"inspection: {shape}")
    ledger_samples = timed(lambda: saved(notice_document_for(inspection)), args.runs)  # type: ignore[arg-type]
    lines = [report("ledger → notice .docx", ledger_samples)]
    notice_samples = timed(lambda: saved(notice_document(notice)), args.runs)  # type: ignore[arg-type]
    lines.append(report("Notice → notice .docx (no database)", notice_samples))
    if args.pdf:
        lines.append(_pdf(saved(notice_document_for(inspection))))  # type: ignore[arg-type]
    ok = statistics.median(ledger_samples) <= 1.0
    print(f"target ≤ 1 s for the 40-problem notice: {'PASS' if ok else 'FAIL'}")
    if args.write:
        write_section(args.write, "documents", markdown(lines, shape, ok))
    return 0 if ok else 1


def _pdf(data: bytes) -> str:
    from zhenggai.reports.pdf import to_pdf

    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "notice.docx"
        source.write_bytes(data)
        start = time.perf_counter()
        to_pdf(source, Path(work) / "notice.pdf")
        line = f"LibreOffice .docx → .pdf: {time.perf_counter() - start:.2f} s (one run)"
        print(line)
        return line


if __name__ == "__main__":
    sys.exit(main())

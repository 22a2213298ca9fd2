"""Audit chain benchmark: the cost of one signed, anchored event and of verifying the chain.

    python benchmarks/bench_audit.py [--events 10000] [--write docs/benchmarks.md]

SQLite in a temporary data directory, migrated here. Appends ``--events`` events, each in its
own committed transaction exactly as an action does (``audit.record``: lock the head, HMAC,
insert, move the head, then the anchor line after the commit), and reports the median and p95
time per event, the time ``verify_audit_chain`` takes for the whole chain (anchor file
included) and the anchor file's size per event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sections import write_section

COMMAND = "python benchmarks/bench_audit.py --write docs/benchmarks.md"


def setup_django(data: str) -> None:
    os.environ["ZHENGGAI_DATA"] = data
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def append_events(count: int) -> list[float]:
    from django.db import transaction

    from zhenggai.ledger import audit

    timings = []
    for i in range(count):
        started = time.perf_counter()
        with transaction.atomic():
            audit.record(
                "measure.update",
                actor=None,
                actor_label="bench",
                before={"progress": f"第{i}次进展"},
                after={"progress": f"第{i + 1}次进展", "status": "in_progress"},
            )
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="zhenggai-bench-audit-")
    try:
        setup_django(data)
        from django.conf import settings

        from zhenggai.ledger import audit

        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        timings = append_events(args.events)
        started = time.perf_counter()
        report = audit.verify_audit_chain()
        verify_seconds = time.perf_counter() - started
        assert report.ok and report.checked == args.events == report.anchored, report
        anchor_bytes = Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE).stat().st_size
    finally:
        shutil.rmtree(data, ignore_errors=True)
    median_ms = statistics.median(timings) * 1000
    p95_ms = statistics.quantiles(timings, n=20)[18] * 1000
    text = f"""
## Audit chain

Produced by (from the repository root, project virtualenv active):

```
{COMMAND}
```

- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC
- Machine: {platform.machine()}, Python {platform.python_version()}; load average {load}
  when the run started (a shared machine); SQLite (WAL) in a temporary directory
- Events: {args.events}, each committed on its own (HMAC-SHA256, anchor line after commit)

| Figure | Measured |
|---|---|
| `audit.record` per event incl. commit and anchor line, median | {median_ms:.2f} ms |
| `audit.record` per event, p95 | {p95_ms:.2f} ms |
| `verify_audit_chain` of {args.events} events (anchor checked) | {verify_seconds:.2f} s |
| Verify throughput | {args.events / verify_seconds:,.0f} events/s |
| Anchor file per event | {anchor_bytes / args.events:.0f} bytes |
"""
    print(text)
    if args.write:
        write_section(args.write, "audit", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

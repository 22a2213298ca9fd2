"""Concurrent audited writers on PostgreSQL: how long one write waits for the audit chain.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zg_load_bench \
        python benchmarks/bench_audit_writers.py --writers 20,100 [--write docs/benchmarks.md]

The database is dropped and created anew (its name must start with ``zg_``), migrated, and
given ``--regions`` regions with one unit each. Then, for each writer count, that many threads
(each its own connection) each commit ``--events`` events in their own transactions, exactly as
an action does (``audit.record`` with a unit as target, inside ``transaction.atomic``). A write
is timed from BEGIN to COMMIT; the single-writer median is what a write costs with nobody to
wait for, so ``p50 − single`` is the wait. Afterwards ``verify_audit_chain`` must pass over
everything written (0 lost or forked links).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sections import write_section

COMMAND = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/zg_load_bench "
    "python benchmarks/bench_audit_writers.py --writers 20,100 --write docs/benchmarks.md"
)


def fresh_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("zg_"):
        raise SystemExit("the benchmark database's name must start with zg_ (it is dropped)")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(data: str) -> None:
    os.environ["ZHENGGAI_DATA"] = data
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_units(regions: int) -> list[int]:
    from zhenggai.ledger.models import Region, Unit

    province = Region.objects.create(name="省")
    ids = []
    for i in range(regions):
        region = Region.objects.create(name=f"区县{i}", parent=province)
        ids.append(Unit.objects.create(region=region, name=f"单位{i}").pk)
    return ids


def writer(
    unit_ids: list[int], events: int, timings: list[float], seed: int, one_chain: bool
) -> None:
    from django.db import connection, transaction

    from zhenggai.ledger import audit
    from zhenggai.ledger.models import Unit

    rng = random.Random(seed)
    units = list(Unit.objects.filter(pk__in=unit_ids))
    try:
        for i in range(events):
            unit = rng.choice(units)
            started = time.perf_counter()
            with transaction.atomic():
                audit.record(
                    "measure.update",
                    actor=None,
                    actor_label=f"writer{seed}",
                    # The old way, for comparison: every event into the one global chain.
                    target=None if one_chain else unit,
                    after={"progress": f"第{i + 1}次进展"},
                )
            timings.append(time.perf_counter() - started)
    finally:
        connection.close()


def run_writers(
    count: int, unit_ids: list[int], events: int, one_chain: bool
) -> tuple[list[float], float]:
    timings: list[float] = []
    threads = [
        threading.Thread(target=writer, args=(unit_ids, events, timings, n, one_chain))
        for n in range(count)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, time.perf_counter() - started


def quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def measure(counts: list[int], unit_ids: list[int], events: int, one_chain: bool) -> list[str]:
    """One table row per writer count; the first row is the single writer."""
    single, _ = run_writers(1, unit_ids, events * 5, one_chain)
    base = statistics.median(single) * 1000
    rows = [f"| 1 | {base:.1f} ms | {quantile(single, 95):.1f} ms | — | — | — |"]
    for count in counts:
        timings, seconds = run_writers(count, unit_ids, events, one_chain)
        p50 = statistics.median(timings) * 1000
        rows.append(
            f"| {count} | {p50:.1f} ms | {quantile(timings, 95):.1f} ms "
            f"| {quantile(timings, 99):.1f} ms | {max(0.0, p50 - base):.1f} ms "
            f"| {len(timings) / seconds:,.0f} |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="20,100")
    parser.add_argument("--events", type=int, default=20, help="events per writer")
    parser.add_argument("--regions", type=int, default=200)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database named zg_…")
    fresh_database(url)
    setup_django(tempfile.mkdtemp(prefix="zhenggai-bench-writers-"))
    from zhenggai.ledger import audit
    from zhenggai.ledger.models import AuditEvent

    unit_ids = make_units(args.regions)
    counts = [int(c) for c in args.writers.split(",")]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    # Alternate the two ways so that the machine's other load falls on both alike.
    before = measure(counts, unit_ids, args.events, one_chain=True)
    after = measure(counts, unit_ids, args.events, one_chain=False)
    report = audit.verify_audit_chain()
    total = AuditEvent.objects.count()
    assert report.ok and report.checked == total, report
    header = "| writers | p50 per write | p95 | p99 | wait (p50 − single) | writes/s |\n"
    header += "|---|---|---|---|---|---|\n"
    text = f"""
## Concurrent audited writers: one chain vs one chain per region

Produced by (from the repository root, project virtualenv active, PostgreSQL reachable):

```
{COMMAND}
```

- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC
- Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()};
  load average {load} when the run started (a shared machine: other engineers' tests ran
  too); PostgreSQL, one connection per writer thread, {args.regions} regions with one unit
  each, {args.events} events per writer
- A write: BEGIN, `audit.record` on a unit, COMMIT (then the anchor line); wait = p50 minus
  the single writer's p50. `verify_audit_chain` passed over all {total} events afterwards
  ({report.chains} chains). "Before" writes every event into the one global chain (what
  every write did before the split); "after" lets each event join its unit's region chain.
- On 2 cores the writers also queue for the CPU (Python and PostgreSQL share it), so the
  part of the wait the head row causes is the difference between the tables, not the wait.

Before — one chain, every writer locks the same head row:

{header}{chr(10).join(before)}

After — one chain per region:

{header}{chr(10).join(after)}
"""
    print(text)
    if args.write:
        write_section(args.write, "audit-writers", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

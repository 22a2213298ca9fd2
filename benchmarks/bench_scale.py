"""Pages at province scale: p50/p95, queries and body per page, and EXPLAIN of their queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zg_scale \\
        python benchmarks/bench_scale.py --units 10000 [--runs 20] [--write docs/benchmarks.md]

Uses the database of ``DATABASE_URL`` (migrated here). When it holds no generated province
yet, ``generate_scale`` makes one of ``--units`` units first (its time is reported); an
existing generated province is reused as it is (generating 10⁴ units takes minutes), and the
figures are labelled with the units actually there. Refuses a database with real data.

Each page is requested in this process through Django's test client (the whole middleware
stack, one process, no network or server in between): two warm-up requests, then ``--runs``
timed ones. Pages are asked for as the office of the whole province and as the liaison of
one unit. Every SELECT a page ran is then EXPLAINed (PostgreSQL only); a sequential scan of
one of the big tables (measures, problems, aspects, inspections, decisions, evidence, notes,
audit events) is listed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _sections import write_section

BIG_TABLES = {
    "ledger_measure",
    "ledger_problem",
    "ledger_aspect",
    "ledger_inspection",
    "ledger_decision",
    "ledger_evidence",
    "ledger_progressnote",
    "ledger_auditevent",
    "ledger_unit",
    "ledger_user",
    "ledger_membership",
}
PASSWORD = "Scale-pass-2026!"


def setup(data: str) -> None:
    os.environ.setdefault("ZHENGGAI_DATA", data)
    # The generated office has no second factor: the benchmark measures pages, not login.
    os.environ["ZHENGGAI_REQUIRE_2FA"] = "none"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhenggai.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def ensure_province(units: int) -> tuple[int, float | None]:
    from zhenggai.ledger import scale
    from zhenggai.ledger.models import Unit

    scale.refuse_real_data()
    present = Unit.objects.filter(inspections__issuer=scale.GENERATOR_ISSUER).distinct().count()
    if present:
        return present, None
    started = time.perf_counter()
    scale.generate(units, password=PASSWORD, progress=print)
    return units, time.perf_counter() - started


@dataclass
class Result:
    page: str
    who: str
    p50: float
    p95: float
    queries: int
    body: int
    seq_scans: list[str]


def pages(who: str) -> dict[str, str]:
    """The pages measured, for the office (``who == "office"``) or a liaison."""
    from zhenggai.ledger.models import Inspection, Measure, Membership, Role, User

    if who == "office":
        user = User.objects.filter(username__endswith="-office").order_by("id").first()
        inspection = Inspection.objects.order_by("id").first()
    else:
        link = Membership.objects.filter(role=Role.LIAISON).order_by("id").first()
        assert link is not None
        user = link.user
        inspection = Inspection.objects.filter(unit_id=link.unit_id).order_by("-id").first()
    assert user is not None and inspection is not None
    measure = Measure.objects.filter(inspection=inspection).order_by("id").first()
    assert measure is not None
    return {
        "user": user.username,
        "dashboard": "/",
        "dashboard.xlsx": "/dashboard.xlsx",
        "inspections list": "/inspections/",
        "tree": f"/inspections/{inspection.pk}/",
        "measure": f"/measures/{measure.pk}/",
        "API inspections list": "/api/inspections",
        "API tree": f"/api/inspections/{inspection.pk}",
        "API measure": f"/api/measures/{measure.pk}",
    }


def measure_page(client: Any, url: str, runs: int) -> tuple[list[float], int, int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    body = len(b"".join(response)) if response.streaming else len(response.content)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    return timings, len(queries.captured_queries), body, selects


def seq_scans(selects: list[str]) -> list[str]:
    """Big tables read by a sequential scan in the plans of ``selects`` (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    found: set[str] = set()
    with connection.cursor() as cursor:
        for sql in selects:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            found |= _seq_scanned(plan if isinstance(plan, list) else json.loads(plan))
    return sorted(found & BIG_TABLES)


def _seq_scanned(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_seq_scanned(n) for n in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = {node["Relation Name"]} if node.get("Node Type") == "Seq Scan" else set()
    for child in node.get("Plans", []) + ([node["Plan"]] if "Plan" in node else []):
        found |= _seq_scanned(child)
    return found


def run(runs: int) -> list[Result]:
    from django.test import Client

    from zhenggai.ledger.models import User

    results = []
    for who in ("office", "liaison"):
        urls = pages(who)
        client = Client(HTTP_HOST="localhost")
        client.force_login(User.objects.get(username=urls.pop("user")))
        for page, url in urls.items():
            timings, queries, body, selects = measure_page(client, url, runs)
            ordered = sorted(timings)
            p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
            results.append(
                Result(
                    page,
                    who,
                    statistics.median(timings),
                    p95,
                    queries,
                    body,
                    seq_scans(selects),
                )
            )
            print(
                f"{who:8} {page:22} p50 {results[-1].p50 * 1000:8.1f} ms  q {queries}", flush=True
            )
    return results


def counts() -> dict[str, int]:
    from zhenggai.ledger.models import AuditEvent, Inspection, Measure, Problem, Unit

    return {
        "units": Unit.objects.count(),
        "inspections": Inspection.objects.count(),
        "problems": Problem.all_objects.count(),
        "measures": Measure.all_objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


TARGETS = {
    "dashboard": 0.300,
    "tree": 0.100,
    "inspections list": 0.200,
    "API inspections list": 0.200,
    "measure": 0.100,
    "dashboard.xlsx": 10.0,
}


def markdown(units: int, results: list[Result], generated: float | None, runs: int) -> str:
    from django.db import connection

    sizes = counts()
    lines = [
        f"## Pages at scale: {units} units ({connection.vendor})",
        "",
        "Produced by (from the repository root, project virtualenv active):",
        "",
        "```",
        f"DATABASE_URL=… python benchmarks/bench_scale.py --units {units} --runs {runs} "
        "--write docs/benchmarks.md",
        "```",
        "",
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end",
        "- Data: " + ", ".join(f"{n} {name}" for name, n in sizes.items()),
        (
            f"- Generated in this run: {generated:.0f} s"
            if generated is not None
            else "- Data reused (generated earlier with `zhenggai manage generate_scale`)"
        ),
        f"- Each page: 2 warm-up requests, {runs} timed, in one process (Django test client, "
        "whole middleware stack, no server); queries of one request; EXPLAIN of every SELECT",
        "",
        "| who | page | p50 | p95 | target p95 | queries | body | seq scans of big tables |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = TARGETS.get(r.page)
        verdict = (
            f"≤ {target * 1000:.0f} ms {'PASS' if r.p95 <= target else 'FAIL'}" if target else "—"
        )
        lines.append(
            f"| {r.who} | {r.page} | {r.p50 * 1000:.1f} ms | {r.p95 * 1000:.1f} ms | {verdict} "
            f"| {r.queries} | {r.body / 1000:.0f} KB | {', '.join(r.seq_scans) or 'none'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--write", type=Path, default=None)
    parser.add_argument("--data", default="/tmp/zg-scale-bench-data")
    args = parser.parse_args()
    setup(args.data)
    units, generated = ensure_province(args.units)
    results = run(args.runs)
    text = markdown(units, results, generated, args.runs)
    print(text)
    if args.write:
        write_section(args.write, f"scale-{units}", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A small generated ledger for the load benchmark, and ready sessions for its users.

    PYTHONPATH=benchmarks DJANGO_SETTINGS_MODULE=bench_settings DATABASE_URL=... \
        python benchmarks/load_data.py --units 20 --users 200 --out /tmp/zg-load-users.json

Refuses a database that already has units. Each unit gets one inspection of 4 problems × 10
measures (not started, so the writes have something to do) and a liaison; a region office
sees them all. Sessions are made here directly (the login, its second factor and lockout are
not what is measured) and written with each user's measures for the locustfile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path


def generate(units: int) -> dict[str, object]:
    from zhenggai.ledger.models import (
        Aspect,
        Inspection,
        InspectionGroup,
        InspectionRound,
        Measure,
        MeasureKind,
        Membership,
        Problem,
        Region,
        Role,
        Unit,
        User,
    )

    if Unit.objects.exists():
        raise SystemExit("the database already holds units: use an empty one (zg_load…)")
    region = Region.objects.create(name="压测区")
    group = InspectionGroup.objects.create(region=region, name="压测巡察组")
    round = InspectionRound.objects.create(region=region, name="压测轮次")
    office = User.objects.create_user(username="bench_office", password="Bench-2024-x")
    Membership.objects.create(user=office, role=Role.OBSERVER, region=region)
    inspections: dict[str, list[int]] = {}
    for i in range(units):
        unit = Unit.objects.create(region=region, name=f"压测单位{i}")
        liaison = User.objects.create_user(username=f"bench_liaison{i}", password="Bench-2024-x")
        Membership.objects.create(user=liaison, role=Role.LIAISON, unit=unit)
        inspection = Inspection.objects.create(
            round=round,
            group=group,
            unit=unit,
            title=f"关于{unit.name}巡察整改情况的通报",
            start=dt.date(2023, 10, 13),
            end=dt.date(2023, 11, 17),
            feedback_date=dt.date(2023, 12, 26),
        )
        aspect = Aspect.objects.create(inspection=inspection, no=1, title="政治引领不突出方面")
        for p in range(4):
            problem = Problem.objects.create(aspect=aspect, no=p + 1, title=f"问题{p + 1}")
            Measure.objects.bulk_create(
                Measure(
                    inspection=inspection,
                    problem=problem,
                    no=p * 10 + m + 1,
                    content=f"第{m + 1}项措施：制定学习计划并组织专题学习",
                    kind=MeasureKind.DEADLINE,
                    deadline=dt.date(2027, 3, 31),
                )
                for m in range(10)
            )
        ids = list(Measure.objects.filter(inspection=inspection).values_list("id", flat=True))
        inspections[liaison.username] = [inspection.pk, *ids]
    return {"office": office.username, "liaisons": inspections}


def session_for(username: str) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from zhenggai.ledger.models import User
    from zhenggai.security.middleware import COMPLETE

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[COMPLETE] = True
    store.set_expiry(24 * 3600)
    store.create()
    return str(store.session_key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    world = generate(args.units)
    liaisons: dict[str, list[int]] = world["liaisons"]  # type: ignore[assignment]
    names = sorted(liaisons)
    users = []
    for n in range(args.users):
        # One user in ten is the office reading the whole region; the rest are liaisons.
        name = str(world["office"]) if n % 10 == 0 else names[n % len(names)]
        users.append({"name": name, "session": session_for(name), "ledger": liaisons.get(name, [])})
    args.out.write_text(json.dumps({"users": users, "all": liaisons}), encoding="utf-8")
    print(f"{args.units} units, {len(users)} sessions → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

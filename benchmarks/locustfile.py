"""The load mix of issue 12 (part 3) for locust, headless.

    # 1. data and sessions (an empty PostgreSQL database named zg_load…)
    export PYTHONPATH=benchmarks DJANGO_SETTINGS_MODULE=bench_settings \
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/zg_load_web ZHENGGAI_DATA=/tmp/zg-load-web
    python benchmarks/load_data.py --units 20 --users 200 --out /tmp/zg-load-users.json
    # 2. the production server with the bench settings (adds /bench/bare/ only)
    zhenggai serve --port 8150 &
    # 3. the mix, then the bare view alone, 200 users each
    ZG_USERS=/tmp/zg-load-users.json locust -f benchmarks/locustfile.py --headless -u 200 \
        -r 50 -t 60s -H http://127.0.0.1:8150 --csv /tmp/zg-mix MixUser
    ZG_USERS=/tmp/zg-load-users.json locust -f benchmarks/locustfile.py --headless -u 200 \
        -r 50 -t 60s -H http://127.0.0.1:8150 --csv /tmp/zg-bare BareUser

Mix: 70 % reads of the dashboard, an inspection's tree and the inspections list; 25 % measure
pages; 5 % writes (开始整改 on a measure of the user's unit). Each started measure is written
to ``ZG_STARTED`` at the end, so that every write that answered can be checked as landed.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

USERS = json.loads(Path(os.environ.get("ZG_USERS", "/tmp/zg-load-users.json")).read_text())
STARTED: list[int] = []
_next = iter(range(10**9))


class _Session(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        me = USERS["users"][next(_next) % len(USERS["users"])]
        self.client.cookies.set("sessionid", me["session"])
        ledger = me["ledger"] or random.choice(list(USERS["all"].values()))
        self.inspection, self.measures = ledger[0], list(ledger[1:])
        self.writes = list(me["ledger"][1:])
        random.shuffle(self.writes)


class MixUser(_Session):
    @task(25)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(25)
    def tree(self) -> None:
        self.client.get(f"/inspections/{self.inspection}/", name="tree")

    @task(20)
    def inspections(self) -> None:
        self.client.get("/inspections/", name="inspections list")

    @task(25)
    def measure(self) -> None:
        self.client.get(f"/measures/{random.choice(self.measures)}/", name="measure")

    @task(5)
    def start_work(self) -> None:
        if not self.writes:
            return
        pk = self.writes.pop()
        page = self.client.get(f"/measures/{pk}/", name="measure")
        token = page.cookies.get("csrftoken") or self.client.cookies.get("csrftoken", "")
        with self.client.post(
            f"/measures/{pk}/start/",
            data={"text": "", "csrfmiddlewaretoken": token},
            headers={"X-CSRFToken": token},
            name="write: start",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                STARTED.append(pk)
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class BareUser(_Session):
    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare view")


@events.test_stop.add_listener
def _save_started(**_: object) -> None:
    Path(os.environ.get("ZG_STARTED", "/tmp/zg-load-started.json")).write_text(json.dumps(STARTED))

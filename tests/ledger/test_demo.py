"""``zhenggai demo``: the demo data (in-process, on the test database) and the real command
(in subprocesses, on SQLite in a temporary data directory: it migrates and serves)."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from zhenggai.ledger import access, demo
from zhenggai.ledger.models import (
    AuditEvent,
    Inspection,
    Measure,
    MeasureStatus,
    Membership,
    Role,
    User,
)

PASSWORD = "Zheng-gai24"


@pytest.fixture
def populated(db) -> demo.DemoResult:
    return demo.populate(PASSWORD)


def test_it_creates_the_demo_inspection_from_the_seed(populated):
    assert populated.counts == (4, 11, 31)
    inspection = Inspection.objects.get(pk=populated.inspection_id)
    assert inspection.unit.name == "开封市龙亭区科协"
    assert inspection.group.name == "区委第一巡察组"
    assert AuditEvent.objects.filter(action="inspection.import").count() == 1


def test_it_creates_one_account_per_role_with_the_given_password(populated):
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {
        "office": Role.OFFICE,
        "group": Role.GROUP,
        "leader": Role.UNIT_LEADER,
        "liaison": Role.LIAISON,
        "owner": Role.OWNER,
        "observer": Role.OBSERVER,
        "other": Role.LIAISON,
        "sysadmin": Role.SYSADMIN,
        "secadmin": Role.SECURITY_ADMIN,
        "auditadmin": Role.AUDIT_ADMIN,
    }
    assert all(u.check_password(PASSWORD) for u in User.objects.all())
    other = Membership.objects.get(user__username="other").unit
    assert other.name == "开封市龙亭区文化广电和旅游局"


def test_measures_are_filled_in_and_moved_along_the_workflow(populated):
    measures = Measure.objects.filter(inspection_id=populated.inspection_id)
    assert not measures.filter(deadline=None).exists()
    assert not measures.filter(kind="").exists()
    assert not measures.filter(responsible_person="").exists()
    count = {s: measures.filter(status=s).count() for s in MeasureStatus.values}
    assert count[MeasureStatus.CLOSED] == 1 and count[MeasureStatus.SUBMITTED] == 1
    assert count[MeasureStatus.IN_PROGRESS] >= 3
    overdue = measures.exclude(status=MeasureStatus.CLOSED).filter(deadline__lt=demo._today())
    assert overdue.count() >= 2
    submitted = measures.get(status=MeasureStatus.SUBMITTED)
    assert submitted.evidence.get().doc_number == "汴科协文〔2024〕6号"
    assert measures.filter(owner__username="owner").exists()


def test_running_it_twice_duplicates_nothing(populated):
    tables = (Inspection, Measure, User, Membership, AuditEvent)
    before = [model.objects.count() for model in tables]
    again = demo.populate(None)
    assert again.inspection_id == populated.inspection_id
    assert [model.objects.count() for model in tables] == before
    # A generated password is neither set on existing accounts nor shown.
    assert again.password is None
    assert User.objects.get(username="office").check_password(PASSWORD)


def test_the_second_units_liaison_cannot_see_the_demo_inspection(populated):
    other, office = User.objects.get(username="other"), User.objects.get(username="office")
    assert not access.inspections_for(other).filter(pk=populated.inspection_id).exists()
    assert access.inspections_for(office).filter(pk=populated.inspection_id).exists()
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert access.measures_for(User.objects.get(username=admin)).count() == 0


# --- the command itself --------------------------------------------------------------------


def command_env(data: Path) -> dict[str, str]:
    # SQLite in the temporary data directory even when the suite runs on PostgreSQL: the
    # command migrates and fills its database, which must not be the developer's.
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {**env, "ZHENGGAI_DATA": str(data), "ZHENGGAI_DEMO_PASSWORD": PASSWORD}


def zhenggai(data: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zhenggai", *args],
        env=command_env(data),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("demo-data")
    done = zhenggai(data, "demo", "--init-only")
    assert done.returncode == 0, done.stderr
    assert "31 项措施" in done.stdout and "office" in done.stdout
    assert PASSWORD not in done.stdout  # the password from the environment is not echoed
    return data


def counts(data: Path) -> tuple[int, ...]:
    with sqlite3.connect(data / "zhenggai.sqlite3") as db:
        return tuple(
            db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("ledger_inspection", "ledger_measure", "ledger_user")
        )


@pytest.mark.slow
def test_init_only_creates_the_data_directory_and_is_idempotent(initialised):
    assert (initialised / "static" / "staticfiles.json").exists()  # collectstatic ran
    assert counts(initialised) == (1, 31, 10)
    again = zhenggai(initialised, "demo", "--init-only")
    assert again.returncode == 0, again.stderr
    assert counts(initialised) == (1, 31, 10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def wait_until_up(url: str, server: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"server exited early: {server.communicate()[1]}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer at {url} within {seconds} s")


def login_path() -> str:
    try:
        return reverse("login")
    except NoReverseMatch:  # until the web screens provide Django's login form
        return "/admin/login/"


@pytest.mark.slow
def test_the_server_serves_the_login_page_and_static_files(initialised):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "zhenggai", "demo", "--port", str(port)],
        env=command_env(initialised),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/static/admin/css/base.css", server, seconds=120)
        status, body = get(base + login_path())
        assert status == 200 and b"password" in body
        status, body = get(base + "/static/admin/css/base.css")
        assert status == 200 and len(body) > 1000
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.slow
def test_a_busy_port_is_one_line_in_chinese_not_a_traceback(initialised):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = zhenggai(initialised, "serve", "--port", str(port))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"错误：无法在 127.0.0.1:{port} 上启动服务" in done.stderr

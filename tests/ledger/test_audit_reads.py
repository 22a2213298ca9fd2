"""Reads that leave the system, failed logins and retention (issue 11, finding 6)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from tests.ledger.test_evidence import upload

from zhenggai.ledger import actions, audit
from zhenggai.ledger.models import AuditEvent

DOWNLOADS = [
    # (url name, persona, audit action, format)
    ("web:notice_docx", "liaison", "download.notice", "docx"),
    ("web:report_docx", "office", "download.report", "docx"),
    ("web:leader_report_docx", "office", "download.leader_report", "docx"),
    ("web:archive_xlsx", "office", "export.archive_catalogue", "xlsx"),
    ("web:ledger_export", "liaison", "export.ledger", "xlsx"),
    ("web:prior_status_xlsx", "office", "export.prior_status", "xlsx"),
]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def newest() -> AuditEvent:
    return AuditEvent.objects.order_by("-id").first()


@pytest.mark.parametrize(("name", "persona", "action", "file_format"), DOWNLOADS)
def test_each_inspection_document_or_export_is_an_audit_event(
    world, name, persona, action, file_format
):
    inspection = world.inspection_a
    response = logged_in(world[persona]).get(reverse(name, args=[inspection.pk]))
    assert response.status_code == 200
    event = newest()
    assert (event.action, event.actor, event.after) == (
        action,
        world[persona],
        {"format": file_format},
    )
    assert (event.target_type, event.target_id) == ("inspection", str(inspection.pk))


def test_an_evidence_download_names_the_file_and_who_took_it(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the stored file must not meet other tests' files
    evidence = actions.add_evidence(world.measure_a, by=world["owner"], file=upload())
    response = logged_in(world["office"]).get(reverse("web:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200
    event = newest()
    assert (event.action, event.actor, event.target_type, event.target_id) == (
        "download.evidence",
        world["office"],
        "evidence",
        str(evidence.pk),
    )
    assert event.after == {"format": "pdf"}


def test_the_dashboard_export_is_an_audit_event(world):
    assert logged_in(world["office"]).get(reverse("web:dashboard_xlsx")).status_code == 200
    assert (newest().action, newest().actor) == ("export.dashboard", world["office"])


def test_a_refused_download_is_not_recorded_as_a_read(world):
    client = logged_in(world["other"])
    assert client.get(reverse("web:ledger_export", args=[world.inspection_a.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="export.").exists()


def test_a_read_is_recorded_as_export_or_download_only(world):
    with pytest.raises(ValueError):
        audit.record_read("measure.update", actor=world["office"], file_format="xlsx")


# --- failed logins --------------------------------------------------------------------------


def fail_login(address: str, username: str) -> None:
    """Through the login page, as a browser does (``Client.login`` has no address)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": "wrong-1A"})
    assert response.status_code == 200  # the form again, with the error


def failures() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="auth.login_failed").order_by("id"))


def test_every_failure_for_an_existing_account_is_recorded_with_its_address(world):
    for _ in range(3):
        fail_login("10.1.2.3", "liaison")
    assert [(e.actor_label, e.after) for e in failures()] == [
        ("liaison", {"address": "10.1.2.3", "known_account": True})
    ] * 3


def test_unknown_names_from_one_address_are_recorded_once_a_minute_with_a_count(world, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(audit.unknown_name_failures, "clock", lambda: clock[0])
    for i in range(50):
        fail_login("10.9.9.9", f"guess{i}")
    assert len(failures()) == 1
    clock[0] += 61
    fail_login("10.9.9.9", "guess-late")
    first, second = failures()
    assert first.after == {
        "address": "10.9.9.9",
        "known_account": False,
        "suppressed_since_last": 0,
    }
    assert second.after["suppressed_since_last"] == 49
    assert second.actor_label == "guess-late"


def test_unknown_names_from_different_addresses_are_each_recorded(world):
    for address in ("10.0.0.1", "10.0.0.2"):
        fail_login(address, "nobody")
    assert [e.after["address"] for e in failures()] == ["10.0.0.1", "10.0.0.2"]


def test_the_throttle_stays_bounded_under_many_addresses():
    throttle = audit.FailureThrottle(window_seconds=60, clock=lambda: 0.0)
    throttle.MAX_SOURCES = 100
    for i in range(1000):
        throttle.admit(f"10.0.{i // 256}.{i % 256}")
    assert len(throttle._sources) <= 100


# --- retention -----------------------------------------------------------------------------


def start_settings(days: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHENGGAI_AUDIT_RETENTION_DAYS": days}
    return subprocess.run(
        [sys.executable, "-c", "import zhenggai.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_retention_under_six_months_refuses_to_start():
    refused = start_settings("90")
    assert refused.returncode != 0
    assert "ZHENGGAI_AUDIT_RETENTION_DAYS must be at least 180" in refused.stderr
    assert start_settings("180").returncode == 0

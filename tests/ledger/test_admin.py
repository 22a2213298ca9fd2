"""The admin: users and organisations for the system administrator; audit read-only."""

from __future__ import annotations

import pytest

from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent


def test_the_system_administrator_manages_users_and_units(world, client):
    client.force_login(world["sysadmin"])
    for url in (
        "/admin/ledger/user/",
        "/admin/ledger/unit/",
        "/admin/ledger/membership/",
        "/admin/ledger/region/",
        "/admin/ledger/inspectiongroup/",
        f"/admin/ledger/user/{world['liaison'].pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_system_administrator_cannot_grant_superuser(world, client):
    client.force_login(world["sysadmin"])
    page = client.get(f"/admin/ledger/user/{world['liaison'].pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' in page


def test_the_system_administrator_sees_no_ledger_data_or_audit(world, client):
    client.force_login(world["sysadmin"])
    assert client.get("/admin/ledger/measure/").status_code == 404
    assert client.get("/admin/ledger/auditevent/").status_code == 403


@pytest.mark.parametrize("persona", ["office", "liaison", "observer"])
def test_ledger_users_have_no_admin(world, client, persona):
    client.force_login(world[persona])
    assert client.get("/admin/ledger/user/").status_code == 302  # to the admin login


def test_audit_events_are_read_only_in_the_admin(world, admin_client):
    actions.start_work(world.measure_a, by=world["liaison"])
    event = AuditEvent.objects.filter(action="measure.start_work").get()
    assert admin_client.get("/admin/ledger/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/ledger/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/ledger/auditevent/add/").status_code == 403
    assert admin_client.post(f"/admin/ledger/auditevent/{event.pk}/delete/").status_code == 403

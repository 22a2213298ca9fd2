"""The security administrator's actions on the account list: unlock, reset and require the
second factor — theirs alone, never on a superuser, another administrator or themselves, and
each on the audit chain."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import log_in
from zhenggai.ledger.models import AuditEvent, User
from zhenggai.security import lockout as locks
from zhenggai.security.models import AccountSecurity

pytestmark = pytest.mark.usefixtures("lockout")

USERS = "/admin/ledger/user/"


def _act(client: Client, action: str, *accounts: User) -> str:
    response = client.post(
        USERS, {"action": action, "_selected_action": [a.pk for a in accounts]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def _lock(username: str) -> None:
    stranger = Client()
    for _ in range(5):
        log_in(stranger, username, "Wrong-password-1", address="10.0.0.1")


def test_the_security_administrator_unlocks_a_locked_account(world):
    _lock("liaison")
    assert locks.is_locked(world["liaison"])
    client = Client()
    client.force_login(world["secadmin"])
    page = _act(client, "unlock_accounts", world["liaison"])
    assert "已解除登录锁定：1 个账号。" in page
    assert not locks.is_locked(world["liaison"])
    event = AuditEvent.objects.filter(action="auth.unlock").get()
    assert event.actor == world["secadmin"] and event.target_id == str(world["liaison"].pk)


def test_the_system_administrator_is_not_offered_the_security_actions(world):
    client = Client()
    client.force_login(world["sysadmin"])
    page = client.get(USERS).content.decode()
    assert "unlock_accounts" not in page and "reset_second_factors" not in page
    _lock("liaison")
    _act(client, "unlock_accounts", world["liaison"])
    assert locks.is_locked(world["liaison"])
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_a_second_factor_reset_spares_the_other_administrators(world):
    # (The security administrator's own device would make this session verify it first.)
    for persona in ("office", "sysadmin", "auditadmin"):
        TOTPDevice.objects.create(user=world[persona], name="phone", confirmed=True)
    client = Client()
    client.force_login(world["secadmin"])
    page = _act(
        client, "reset_second_factors", world["office"], world["sysadmin"], world["auditadmin"]
    )
    assert "已重置双因素认证：1 个账号。" in page
    assert "另有 2 个账号不能由您操作" in page
    remaining = set(TOTPDevice.objects.values_list("user__username", flat=True))
    assert remaining == {world["sysadmin"].username, world["auditadmin"].username}
    assert AuditEvent.objects.filter(action="auth.2fa.reset").count() == 1


def test_the_security_administrator_requires_a_second_factor_of_an_account(world):
    client = Client()
    client.force_login(world["secadmin"])
    _act(client, "require_second_factor", world["liaison"])
    assert AccountSecurity.objects.get(user=world["liaison"]).require_2fa
    assert AuditEvent.objects.filter(action="auth.2fa.require").count() == 1

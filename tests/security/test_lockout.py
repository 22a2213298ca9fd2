"""Guessing is not free: five failures lock the account and the address for ten minutes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.security.conftest import NOW, PASSWORD, log_in
from zhenggai.api import tokens
from zhenggai.ledger.models import AuditEvent
from zhenggai.security import lockout as locks

pytestmark = pytest.mark.usefixtures("lockout")


def _fail(client, username: str, times: int = 5, address: str = "10.0.0.1", url=None):
    for _ in range(times):
        log_in(client, username, "Wrong-password-1", address=address, url=url)


def test_five_wrong_passwords_lock_the_account_until_a_time_the_page_tells(world, client):
    with time_machine.travel(NOW, tick=False):
        _fail(client, "liaison")
        response = log_in(client, "liaison")
        assert "_auth_user_id" not in client.session
    assert response.status_code == 429
    text = response.content.decode()
    assert "登录失败次数过多，账号已锁定至 14:32，请稍后再试或联系安全管理员。" in text


def test_four_failures_do_not_lock(world, client):
    with time_machine.travel(NOW, tick=False):
        _fail(client, "liaison", times=4)
        response = log_in(client, "liaison")
        assert response.status_code == 302 and client.session["_auth_user_id"]


def test_the_lock_ends_after_ten_minutes(world, client):
    with time_machine.travel(NOW, tick=False) as traveller:
        _fail(client, "liaison")
        traveller.shift(dt.timedelta(minutes=9))
        assert log_in(client, "liaison").status_code == 429
        traveller.shift(dt.timedelta(minutes=1, seconds=1))
        response = log_in(client, "liaison")
    assert response.status_code == 302 and response["Location"] == "/"


def test_one_address_guessing_many_accounts_is_locked_for_all_of_them(world, client):
    with time_machine.travel(NOW, tick=False):
        for name in ("liaison", "owner", "leader", "nobody", "other"):
            _fail(client, name, times=1, address="10.0.0.9")
        assert log_in(client, "group", address="10.0.0.9").status_code == 429
        # The same account from another machine is not locked: the account had one failure.
        assert log_in(client, "group", address="10.0.0.10").status_code == 302


def test_the_admin_login_is_locked_too(world, client):
    admin_login = "/admin/login/?next=/admin/"
    with time_machine.travel(NOW, tick=False):
        _fail(client, "sysadmin", url=admin_login)
        response = log_in(client, "sysadmin", url=admin_login)
    assert response.status_code == 429
    assert "账号已锁定至 14:32" in response.content.decode()


def test_a_locked_accounts_api_token_stops_working(world, client):
    _record, token = tokens.issue_token(world["liaison"], name="报表", days=30)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/inspections", **bearer).status_code == 200
    _fail(client, "liaison", address="10.0.0.7")
    assert client.get("/api/inspections", **bearer).status_code == 401


def test_a_locked_accounts_session_cannot_use_the_api(world, client):
    client.force_login(world["liaison"])
    assert client.get("/api/inspections").status_code == 200
    _fail(client.__class__(), "liaison", address="10.0.0.7")
    response = client.get("/api/inspections")
    assert response.status_code == 403 and "账号已锁定" in response.json()["detail"]


def test_the_security_administrator_unlocks_and_it_is_audited(world, client):
    _fail(client, "liaison")
    assert locks.is_locked(world["liaison"])
    locks.unlock(world["liaison"], by=world["sysadmin"])
    assert not locks.is_locked(world["liaison"])
    assert log_in(client, "liaison", address="10.0.0.2").status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert (event.actor, event.target_id) == (world["sysadmin"], str(world["liaison"].pk))


def test_logins_and_failures_are_audited_with_the_address(world, client):
    log_in(client, "liaison", "Wrong-password-1", address="192.0.2.15")
    log_in(client, "liaison", PASSWORD, address="192.0.2.15")
    failed = AuditEvent.objects.get(action="auth.login_failed")
    success = AuditEvent.objects.get(action="auth.login")
    assert failed.detail == success.detail == "address=192.0.2.15"
    assert PASSWORD not in failed.detail


def test_logging_in_to_ones_own_account_between_guesses_does_not_reset_the_count(world, client):
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            log_in(client, "liaison", "Wrong-password-1", address="10.0.0.5")
            client.__class__().post(
                "/accounts/login/",
                {"username": "other", "password": PASSWORD},
                REMOTE_ADDR="10.0.0.5",
            )
        assert log_in(client, "liaison", address="10.0.0.6").status_code == 429

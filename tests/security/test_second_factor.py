"""TOTP second factor: enrolment, verification after the password, recovery codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.conftest import NOW, log_in
from zhenggai.api import tokens
from zhenggai.api.models import ApiToken
from zhenggai.ledger.models import AuditEvent
from zhenggai.security import twofactor

pytestmark = pytest.mark.usefixtures("second_factor")


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _enrol(client) -> list[str]:
    """Through the enrolment page, with the code an authenticator app would show."""
    page = client.get("/accounts/2fa/enrol/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    response = client.post("/accounts/2fa/enrol/", {"code": _code(device), "next": "/"})
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def test_office_without_a_second_factor_cannot_reach_the_dashboard(world, client):
    log_in(client, "office")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/enrol/")
    assert client.get("/api/inspections").status_code == 403


def test_a_role_outside_the_required_set_goes_straight_in(world, client):
    log_in(client, "liaison")
    assert client.get("/").status_code == 200


def test_enrolment_with_a_real_code_shows_ten_recovery_codes_and_opens_the_ledger(world, client):
    with time_machine.travel(NOW):
        log_in(client, "office")
        codes = _enrol(client)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.2fa.enrol", actor=world["office"]).exists()


def test_a_wrong_code_does_not_enrol(world, client):
    log_in(client, "office")
    client.get("/accounts/2fa/enrol/")
    response = client.post("/accounts/2fa/enrol/", {"code": "000000"})
    assert "验证码不正确" in response.content.decode()
    assert not twofactor.has_second_factor(world["office"])
    assert client.get("/").status_code == 302


def test_after_the_password_comes_the_code(world, client):
    with time_machine.travel(NOW, tick=False) as traveller:
        log_in(client, "office")
        _enrol(client)
        client.post("/accounts/logout/")
        log_in(client, "office")
        response = client.get("/")
        assert response["Location"].startswith("/accounts/2fa/verify/")
        wrong = client.post("/accounts/2fa/verify/", {"code": "123456"})
        assert "验证码不正确" in wrong.content.decode()
        traveller.shift(dt.timedelta(seconds=30))  # the next code (a used one is refused)
        device = TOTPDevice.objects.get(user=world["office"])
        right = client.post("/accounts/2fa/verify/", {"code": _code(device), "next": "/"})
        assert right["Location"] == "/"
        assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(world, client):
    log_in(client, "office")
    code = _enrol(client)[0]
    for expected in ("/", None):
        client.post("/accounts/logout/")
        log_in(client, "office")
        response = client.post("/accounts/2fa/verify/", {"code": code, "next": "/"})
        if expected:
            assert response["Location"] == expected
        else:
            assert "验证码不正确或已使用" in response.content.decode()


def test_the_admin_asks_for_the_second_factor_too(world, client):
    log_in(client, "sysadmin", url="/admin/login/?next=/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/enrol/")


def test_tokens_are_made_only_from_a_verified_session(world, client):
    log_in(client, "office")
    response = client.post("/account/tokens/", {"name": "报表", "days": 30})
    assert response.status_code == 302 and not ApiToken.objects.exists()


def test_the_security_administrator_can_require_it_of_anyone(world, client):
    twofactor.set_required(world["liaison"], True, by=world["sysadmin"])
    log_in(client, "liaison")
    assert client.get("/")["Location"].startswith("/accounts/2fa/enrol/")


def test_a_reset_removes_the_factor_and_revokes_the_tokens(world, client):
    log_in(client, "office")
    _enrol(client)
    record, _token = tokens.issue_token(world["office"], name="报表", days=30)
    assert twofactor.reset_second_factor(world["office"], by=world["sysadmin"]) == 1
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert not twofactor.has_second_factor(world["office"])
    assert AuditEvent.objects.filter(action="auth.2fa.reset", actor=world["sysadmin"]).exists()


def test_no_admin_screen_shows_anyones_secret_key():
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)

"""Password rules, history, expiry and the forced change, on the site's change page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.security.conftest import PASSWORD, log_in
from zhenggai.ledger.models import AuditEvent, User
from zhenggai.security import passwords


def _change(client, new: str, old: str = PASSWORD):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new, "next": "/"},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Aa1aaaaa", "密码长度太短"),
        ("abcdefghijkl", "至少 3 类"),
        ("Xx-owner-2025", "不能包含任何账号的用户名"),
        ("Xx-OFFICE-2025", "不能包含任何账号的用户名"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_message(world, client, password, message):
    client.force_login(world["liaison"])
    response = _change(client, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get(username="liaison").check_password(PASSWORD)


def test_a_good_password_is_taken_and_audited(world, client):
    client.force_login(world["liaison"])
    response = _change(client, "Neues-Kennwort-42")
    assert response["Location"] == "/"
    assert User.objects.get(username="liaison").check_password("Neues-Kennwort-42")
    assert AuditEvent.objects.filter(action="auth.password_change").count() == 1


def test_none_of_the_last_five_passwords_again(world, client):
    client.force_login(world["liaison"])
    previous = PASSWORD
    for n in range(1, 6):
        assert _change(client, f"Rotation-{n}x-Qz", old=previous).status_code == 302
        previous = f"Rotation-{n}x-Qz"
    user = User.objects.get(username="liaison")
    with pytest.raises(ValidationError, match="最近 5 次"):
        validate_password("Rotation-2x-Qz", user)
    # Six changes ago is old enough.
    validate_password(PASSWORD, user)


def test_an_expired_password_must_be_changed_after_login(world, client, expiry):
    with time_machine.travel(dt.timedelta(days=91)):
        log_in(client, "liaison")
        response = client.get("/")
        assert response["Location"].startswith("/accounts/password/")
        assert "密码已超过有效期" in client.get(response["Location"]).content.decode()
        _change(client, "Frisches-Passwort-7")
        assert client.get("/").status_code == 200


def test_a_password_younger_than_ninety_days_is_not_asked_again(world, client, expiry):
    with time_machine.travel(dt.timedelta(days=89)):
        log_in(client, "liaison")
        assert client.get("/").status_code == 200


def test_a_password_the_administrator_set_must_be_changed(world, client):
    # Resetting an ordinary account's password is the security administrator's (三员).
    client.force_login(world["secadmin"])
    url = f"/admin/ledger/user/{world['liaison'].pk}/password/"
    form = {"password1": "Admin-Gesetzt-91", "password2": "Admin-Gesetzt-91"}
    response = client.post(url, {**form, "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert passwords.must_change_password(world["liaison"])
    other = client.__class__()
    log_in(other, "liaison", "Admin-Gesetzt-91")
    assert other.get("/")["Location"].startswith("/accounts/password/")
    _change(other, "Mein-Eigenes-55", old="Admin-Gesetzt-91")
    assert other.get("/").status_code == 200


def test_password_reset_by_mail_is_off(world, client):
    assert client.get("/accounts/password_reset/").status_code == 404


def test_the_demos_generated_password_must_be_changed_at_first_login(db, settings):
    from zhenggai.ledger import demo

    settings.DEMO_PASSWORD = ""
    result = demo.populate()
    assert result.generated and result.password
    validate_password(result.password)  # the new policy, no account's name in it
    assert all(passwords.must_change_password(u) for u in User.objects.all())

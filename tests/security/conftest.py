"""The ledger's personas, with the login rules the rest of the suite switches off turned on."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from tests.ledger.conftest import PERSONAS, World, world

__all__ = ["PERSONAS", "World", "world"]

PASSWORD = "Zhenggai-2024"  # the personas' password (tests/ledger/conftest.py)
# A fixed moment, so the lockout message's time is known: 14:22 in Beijing.
NOW = dt.datetime(2026, 3, 2, 14, 22, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def second_factor(settings):
    settings.ZHENGGAI_REQUIRE_2FA = ["office", "sysadmin", "security_admin", "audit_admin"]


@pytest.fixture
def expiry(settings):
    settings.ZHENGGAI_PASSWORD_MAX_AGE_DAYS = 90


def log_in(client, username: str, password: str = PASSWORD, address: str = "10.0.0.1", url=None):
    return client.post(
        url or "/accounts/login/",
        {"username": username, "password": password, "next": "/"},
        REMOTE_ADDR=address,
    )

"""The office's first login in a browser: password, then TOTP enrolment, then the ledger."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp

from tests.browser.conftest import PASSWORD, OpenPage, Organisations


@pytest.fixture
def second_factor(settings) -> None:
    settings.ZHENGGAI_REQUIRE_2FA = ["office"]


def test_the_office_enrols_an_authenticator_on_first_login(
    open_page: OpenPage, organisations: Organisations, second_factor: None
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("office")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/enrol/"))
    expect(page.locator("#totp-qr svg")).to_be_visible()

    # What the phone's app does with the key shown beside the QR code.
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    page.get_by_label("验证码").fill(f"{totp(secret):06d}")
    page.get_by_role("button", name="完成设置").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)

    page.get_by_role("link", name="我已保存恢复码，继续").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("button", name="退出").wait_for()

"""Browser tests: Playwright (sync API) driving Debian's chromium against ``live_server``.

``playwright install`` downloads a browser, which cannot work on an intranet machine, so the
tests use the system's ``/usr/bin/chromium`` and skip, with the reason, where it is missing
(a developer laptop). The app runs in pytest-django's ``live_server`` (transactional
database); each test starts from the demo's organisations and accounts *without* the demo
inspection, which the tests import themselves.

Every person works in their own browser context (own cookies), as on their own machine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous for a cold start of the live server, small enough to fail fast when a label moves.
TIMEOUT_MS = 10_000
PASSWORD = "Zhenggai-Browser-2024"
IMPORT_URL = "/inspections/import/"
SEED_NOTICE = "longting-kexie-2024.txt"


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One chromium for the browser tests. Package-scoped, not session-scoped: Playwright's
    loop (and the switch below) must end with this package, before the other suites run."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium); "
            "`playwright install` is not used"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API keeps an asyncio loop on this thread, and Django refuses ORM
    # calls from a thread with a running loop. The fixtures below (and pytest-django's
    # flush between tests) use the ORM synchronously, which is safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the item, so ``open_page`` knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


OpenPage = Callable[[], "Page"]


@pytest.fixture
def open_page(
    browser: Browser, live_server: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[OpenPage]:
    """A new browser context (a person at their own machine) with one page on the live
    server. On failure, each page's screenshot is saved in the test's tmp directory."""
    contexts = []

    def open_() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts, 1):
        if report is not None and report.failed:
            for page in context.pages:
                path = tmp_path / f"failure-{number}.png"
                page.screenshot(path=str(path), full_page=True)
                print(f"screenshot: {path}")
        context.close()


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    return open_page()


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real form and wait for the dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("button", name="退出").wait_for()


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisations:
    """The demo's region, units, group and round (names as the screens show them)."""

    places: dict[str, Any]

    @property
    def unit(self) -> Any:
        return self.places["unit"]

    @property
    def round(self) -> Any:
        return self.places["round"]

    @property
    def group(self) -> Any:
        return self.places["group"]


@pytest.fixture
def organisations(live_server: Any) -> Organisations:
    """The demo's organisations and its ten accounts (office, group, leader, liaison, owner,
    observer, other and the three administrators sysadmin, secadmin, auditadmin; password
    ``PASSWORD``) — but not its inspection."""
    from django.db import transaction

    from zhenggai.ledger import demo

    with transaction.atomic():
        places = demo._organisations()
        demo._accounts(places, PASSWORD, reset=True)
    return Organisations(places)


def seed_notice_text() -> str:
    """The seed notice packaged with the demo (the same text as ../shared/seed)."""
    package = resources.files("zhenggai.ledger").joinpath("demo_data", SEED_NOTICE)
    return package.read_text("utf-8")


def import_seed_through_the_screen(page: Page, tmp_path: Path, org: Organisations) -> None:
    """Upload the seed notice, choose unit, round and group, then confirm the preview; the
    page ends on the new inspection's ledger tree."""
    preview_seed_import(page, tmp_path, org)
    confirm_import(page)


def preview_seed_import(page: Page, tmp_path: Path, org: Organisations) -> None:
    """From the ledger list, open the import screen, upload the seed notice, choose unit,
    round and group, and wait for the preview."""
    notice = tmp_path / SEED_NOTICE
    notice.write_text(seed_notice_text(), encoding="utf-8")
    page.goto("/inspections/")
    page.get_by_role("link", name="导入整改通报").click()
    page.wait_for_url(f"**{IMPORT_URL}")
    page.get_by_label("整改通报文件").set_input_files(str(notice))
    page.get_by_label("被巡察单位").select_option(label=str(org.unit))
    page.get_by_label("巡察轮次").select_option(label=str(org.round))
    page.get_by_label("巡察组").select_option(label=str(org.group))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("button", name="确认导入").wait_for()


def confirm_import(page: Page) -> None:
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))

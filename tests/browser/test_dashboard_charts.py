"""The dashboard's charts in a real browser: ECharts is served from the package (nothing from
outside the machine), every chart draws a <canvas>, the console stays clean, and the filters
and the Excel export work from the page."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.browser.conftest import OpenPage, Organisations, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

ECHARTS = "/static/zhenggai/vendor/echarts/echarts.min.js"
CHARTS = ("chart-units", "chart-aspects", "chart-aging", "chart-progress")


def _demo_ledger(org: Organisations) -> None:
    """The demo's inspection, planned and moved along (lights of every colour, one measure
    closed out this month), as ``zhenggai demo`` builds it."""
    from django.db import transaction

    from zhenggai.ledger import demo

    with transaction.atomic():
        demo._demo_inspection(org.places, [])


def _watch(page: Page) -> tuple[list[str], list[str]]:
    """Console errors (and uncaught exceptions), and every URL the page requests."""
    errors: list[str] = []
    requested: list[str] = []

    def on_console(message: Any) -> None:
        # The browser's own request for /favicon.ico (the system has none) is not the page's.
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(f"{message.text} {message.location}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requested.append(r.url))
    # A blocked script, style or image under the CSP raises this event (besides the console).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return errors, requested


def test_the_dashboard_draws_its_charts_from_the_packaged_echarts(
    open_page: OpenPage, organisations: Organisations, live_server: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    _demo_ledger(organisations)
    page = open_page()
    errors, requested = _watch(page)
    login(page, "office")
    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for chart in CHARTS:
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()
        box = page.locator(f"#{chart}").bounding_box()
        assert box is not None and box["height"] > 100
    expect(page.locator("#table-at-risk tbody tr")).not_to_have_count(0)
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert errors == []
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert any(url.endswith(ECHARTS) for url in requested)

    served = page.request.get(ECHARTS)
    assert served.ok
    packaged = resources.files("zhenggai.web").joinpath("static", *ECHARTS.split("/")[2:])
    assert served.body() == packaged.read_bytes()


def test_the_filters_and_the_export_follow_the_chosen_unit(
    open_page: OpenPage, organisations: Organisations
) -> None:
    from playwright.sync_api import expect

    _demo_ledger(organisations)
    page = open_page()
    errors, _requested = _watch(page)
    login(page, "office")
    page.goto("/")
    page.get_by_label("被巡察单位").select_option(label=str(organisations.unit))
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"unit=\d+"))
    expect(page.locator("#chart-units canvas").first).to_be_attached()
    expect(page.locator("#table-units tbody tr")).to_have_count(1)
    export = page.get_by_role("link", name="导出当前视图（Excel）")
    assert re.search(r"/dashboard\.xlsx\?unit=\d+$", export.get_attribute("href") or "")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert errors == []

"""Every screen on a phone and a desktop, and on paper.

At 360 px (a small phone) and 1366 px (the common office laptop) the dashboard, the ledger
tree, a measure, the three lists and the 督办单 fit the window: the page never scrolls
sideways (wide tables scroll inside themselves). Printed, the tree and a 督办单 lose the
header, the forms and the buttons, and gain a page heading and lines to sign on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import OpenPage, Organisations, login

if TYPE_CHECKING:
    from playwright.sync_api import Page

WIDTHS = (360, 1366)


def _demo_with_an_order(org: Organisations) -> dict[str, str]:
    """The demo's ledger with one 督办单 on an overdue measure; the screens' addresses."""
    from django.db import transaction
    from django.utils import timezone

    from zhenggai.ledger import demo
    from zhenggai.ledger.models import Measure, MeasureStatus, User
    from zhenggai.supervision import escalation

    with transaction.atomic():
        inspection = demo._demo_inspection(org.places, [])
        today = timezone.localdate()
        overdue = (
            Measure.objects.filter(inspection=inspection, deadline__lt=today)
            .exclude(status=MeasureStatus.CLOSED)
            .order_by("pk")
            .first()
        )
        assert overdue is not None
        order = escalation.issue_supervision_order(
            overdue,
            by=User.objects.get(username="office"),
            required_action="请于回复期限前完成整改并书面报告。",
            reply_by=today + dt.timedelta(days=7),
        )
    return {
        "dashboard": "/",
        "tree": f"/inspections/{inspection.pk}/",
        "measure": f"/measures/{overdue.pk}/",
        "lists": f"/inspections/{inspection.pk}/plan/lists/",
        "responsibilities": f"/inspections/{inspection.pk}/plan/lists/?list=responsibilities",
        "problems": f"/inspections/{inspection.pk}/plan/lists/?list=problems",
        "inspections": "/inspections/",
        "search": "/search/?q=学习",
        "account": "/account/",
        "orders": "/supervision/",
        "order": f"/supervision/{order.pk}/",
    }


def _scroll_width(page: Page) -> tuple[int, int]:
    return page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")  # type: ignore[no-any-return]


@pytest.mark.slow
def test_no_screen_scrolls_sideways_on_a_phone_or_a_laptop(
    open_page: OpenPage, organisations: Organisations, tmp_path: Path
) -> None:
    urls = _demo_with_an_order(organisations)
    page = open_page()
    login(page, "office")
    too_wide = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, url in urls.items():
            page.goto(url)
            page.wait_for_load_state("networkidle")
            scroll, window = _scroll_width(page)
            page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
            if scroll > window:
                too_wide.append(f"{name} at {width}px: {scroll} > {window}")
    assert too_wide == []
    # On a phone the navigation folds into one line of its own, not eight.
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(urls["dashboard"])
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 200


def _visible(page: Page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_the_tree_and_an_order_print_without_the_screen_chrome(
    open_page: OpenPage, organisations: Organisations, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    urls = _demo_with_an_order(organisations)
    page = open_page()
    login(page, "office")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(urls["tree"])
    assert _visible(page, "header.top")
    expect(page.locator(".print-only").first).to_be_hidden()
    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "tree-print.png"), full_page=True)
    assert not _visible(page, "header.top")
    assert not _visible(page, "p.actions")
    expect(page.locator(".print-heading")).to_be_visible()
    expect(page.locator(".print-heading")).to_contain_text("整改台账")
    expect(page.locator(".signatures")).to_be_visible()
    expect(page.locator("section.aspect").first).to_be_visible()

    page.emulate_media(media="screen")
    page.goto(urls["order"])
    expect(page.locator("h1")).to_contain_text("督办单")
    page.emulate_media(media="print")
    path = tmp_path / "order-print.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    assert not _visible(page, "header.top")
    signatures = page.locator(".signatures")
    expect(signatures).to_be_visible()
    expect(signatures).to_contain_text("签收人")
    expect(page.locator("#order-sheet")).to_contain_text("请于回复期限前完成整改并书面报告。")
    assert not page.get_by_role("button", name="退出").is_visible()

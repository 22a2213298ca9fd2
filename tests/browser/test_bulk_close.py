"""Bulk work in the browser (issue #16, part 2): the office filters the ledger tree to the
measures awaiting verification, ticks three and closes them out in one action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.conftest import OpenPage, Organisations, login

if TYPE_CHECKING:
    from playwright.sync_api import Page


def three_submitted(org: Organisations) -> tuple[int, list[int]]:
    """The demo inspection, with three more of its measures submitted by the liaison."""
    from django.db import transaction
    from django.utils import timezone

    from zhenggai.ledger import demo
    from zhenggai.ledger.models import Measure, MeasureKind, MeasureStatus, User

    with transaction.atomic():
        inspection = demo._demo_inspection(org.places, [])
        liaison = User.objects.get(username="liaison")
        waiting = Measure.objects.filter(
            inspection=inspection, status=MeasureStatus.NOT_STARTED
        ).exclude(kind=MeasureKind.ONGOING)
        picked = list(waiting.order_by("id")[:3])
        for measure in picked:
            demo._submit(measure, liaison, timezone.localdate())
    return inspection.pk, [m.pk for m in picked]


def test_the_office_closes_three_measures_at_once(
    open_page: OpenPage, organisations: Organisations
) -> None:
    from playwright.sync_api import expect

    from zhenggai.ledger.models import Measure, MeasureStatus

    inspection, picked = three_submitted(organisations)
    office: Page = open_page()
    login(office, "office")
    office.goto(f"/inspections/{inspection}/")
    office.locator("#tree-filters").get_by_label("状态").select_option(label="已提交待验收")
    office.locator("#tree-filters").get_by_role("button", name="筛选").click()
    office.wait_for_url("**status=submitted**")
    for pk in picked:
        office.locator(f"#pick-{pk}").check()
    office.locator("#bulk-operation").select_option(label="验收销号")
    office.get_by_label("验收意见").fill("材料齐全，同意销号。")
    office.get_by_role("button", name="批量办理").click()
    expect(office.locator("body")).to_contain_text("已批量验收销号：3 项措施。")
    assert "status=submitted" in office.url  # back on the filtered tree
    for pk in picked:
        expect(office.locator(f"#pick-{pk}")).to_have_count(0)  # no longer awaiting
    closed = Measure.objects.filter(pk__in=picked, status=MeasureStatus.CLOSED)
    assert closed.count() == 3

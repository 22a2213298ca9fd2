"""The main path, as the people who use the ledger walk it in a browser.

The office imports the seed notice (龙亭区科协: 4 aspects, 11 problems, 31 measures); the
unit's liaison plans a measure, starts work, adds a document reference as evidence and
submits it; the unit cannot close out its own work; the office verifies and closes it out.
Along the way the ledger tree's status and light change, and the measure page's decisions and
history say who did what.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from tests.browser.conftest import (
    OpenPage,
    Organisations,
    import_seed_through_the_screen,
    login,
)
from zhenggai.ledger.demo import NAMES

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse, Locator, Page

EVIDENCE_TITLE = "关于印发《区科协党组理论学习中心组学习制度》的通知"
EVIDENCE_NUMBER = "汴科协文〔2024〕6号"
CLOSE_OUT_NOTE = "材料齐全，同意销号。"


def test_the_unit_submits_a_measure_and_the_office_closes_it_out(
    open_page: OpenPage, organisations: Organisations, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    # The office imports the seed notice and sees the whole ledger tree.
    office = open_page()
    login(office, "office")
    import_seed_through_the_screen(office, tmp_path, organisations)
    expect(office.locator("h1")).to_contain_text("区科协")
    expect(office.locator("section.aspect")).to_have_count(4)
    expect(office.locator("div.problem")).to_have_count(11)
    expect(measure_rows(office)).to_have_count(31)
    expect(measure_rows(office).filter(has_text="未开始")).to_have_count(31)

    # The liaison finds the first measure through the ledger list and the tree.
    liaison = open_page()
    login(liaison, "liaison")
    liaison.get_by_role("link", name="巡察台账").click()
    liaison.get_by_role("link", name="区科协").click()
    expect(measure_rows(liaison)).to_have_count(31)
    first = measure_rows(liaison).first.get_by_role("link")
    measure_url = first.get_attribute("href")
    assert measure_url is not None
    first.click()
    liaison.wait_for_url(f"**{measure_url}")
    expect(status_of(liaison)).to_have_text("未开始")

    # Plans it due in three days (the light turns yellow), starts work, adds evidence.
    due = timezone.localdate() + dt.timedelta(days=3)
    liaison.get_by_label("完成时限").fill(due.isoformat())
    liaison.get_by_role("button", name="保存").click()
    expect_message(liaison, "已保存。")
    expect(light_of(liaison)).to_have_class(re.compile(r"\byellow\b"))
    press(liaison, "开始整改")
    expect_message(liaison, "已开始整改。")
    expect(status_of(liaison)).to_have_text("整改中")
    liaison.get_by_label("题名").fill(EVIDENCE_TITLE)
    liaison.get_by_label("文号").fill(EVIDENCE_NUMBER)
    liaison.get_by_role("button", name="添加").click()
    expect_message(liaison, "佐证材料已添加。")
    evidence = section_titled(liaison, "佐证材料").locator("li")
    expect(evidence).to_contain_text(f"{EVIDENCE_NUMBER} 《{EVIDENCE_TITLE}》")

    # The tree shows the measure under way, still yellow.
    liaison.goto(inspection_url(liaison))
    row = measure_row(liaison, measure_url)
    expect(row).to_contain_text("整改中")
    expect(row.locator(".light")).to_have_class(re.compile(r"\byellow\b"))

    # Submits it: the measure is locked and the evidence frozen.
    liaison.goto(measure_url)
    press(liaison, "提交验收")
    expect_message(liaison, "已提交验收。")
    expect(status_of(liaison)).to_have_text("已提交待验收")
    expect(evidence).to_contain_text("已锁定")
    expect(liaison.get_by_role("button", name="添加")).to_have_count(0)
    expect(liaison.get_by_role("button", name="保存")).to_have_count(0)

    # The unit cannot close out its own measure: no button, and a forged POST is refused.
    expect(liaison.get_by_role("button", name="验收销号")).to_have_count(0)
    refused = forge_post(liaison, f"{measure_url}close-out/")
    assert refused.status == 403
    assert "无权操作" in refused.text()
    liaison.reload()
    expect(status_of(liaison)).to_have_text("已提交待验收")

    # The office sees it submitted on the tree, then verifies and closes it out.
    office.reload()
    row = measure_row(office, measure_url)
    expect(row).to_contain_text("已提交待验收")
    expect(row.locator(".light")).to_have_class(re.compile(r"\byellow\b"))
    row.get_by_role("link").click()
    office.wait_for_url(f"**{measure_url}")
    expect(section_titled(office, "佐证材料")).to_contain_text(EVIDENCE_NUMBER)
    press(office, "验收销号", note=CLOSE_OUT_NOTE)
    expect_message(office, "已验收销号。")
    expect(status_of(office)).to_have_text("已销号")
    expect(light_of(office)).to_have_class(re.compile(r"\bgreen\b"))
    expect(office.get_by_role("button", name="重新打开")).to_be_visible()

    # Decisions and history say who submitted and who closed out.
    decisions = table_under(office, "决定")
    expect(decisions.filter(has_text="提交验收")).to_contain_text(NAMES["liaison"])
    expect(decisions.filter(has_text="验收销号")).to_contain_text(NAMES["office"])
    expect(decisions.filter(has_text="验收销号")).to_contain_text(CLOSE_OUT_NOTE)
    history = table_under(office, "操作记录")
    expect(history.filter(has_text="measure.submit")).to_contain_text(NAMES["liaison"])
    expect(history.filter(has_text="measure.close_out")).to_contain_text(NAMES["office"])
    expect(history.filter(has_text="measure.start_work")).to_contain_text(NAMES["liaison"])

    # Back on the tree: closed out, and the light is green again.
    office.goto(inspection_url(office))
    row = measure_row(office, measure_url)
    expect(row).to_contain_text("已销号")
    expect(row.locator(".light")).to_have_class(re.compile(r"\bgreen\b"))
    expect(measure_rows(office).filter(has_text="未开始")).to_have_count(30)


# --- what a person looks at -----------------------------------------------------------------


def measure_rows(page: Page) -> Locator:
    """The measures' rows in the ledger tree (one link to the measure page each)."""
    return page.locator("div.problem tbody tr").filter(has=page.locator("a[href^='/measures/']"))


def measure_row(page: Page, measure_url: str) -> Locator:
    return page.locator("tr").filter(has=page.locator(f"a[href='{measure_url}']"))


def status_of(page: Page) -> Locator:
    """The status label next to the measure page's heading."""
    return page.locator("h1 .status")


def light_of(page: Page) -> Locator:
    return page.locator("h1 .light")


def inspection_url(page: Page) -> str:
    """The measure page's breadcrumb back to its inspection."""
    href = page.locator("p.crumbs a").first.get_attribute("href")
    assert href is not None
    return href


def section_titled(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading))


def table_under(page: Page, heading: str) -> Locator:
    """The body rows of the table in the section with this heading."""
    return section_titled(page, heading).locator("tbody tr")


def press(page: Page, label: str, note: str = "") -> None:
    """Press a workflow button, with the note typed into its form first."""
    form = page.locator("form.step").filter(has=page.get_by_role("button", name=label))
    if note:
        form.locator("textarea").fill(note)
    form.get_by_role("button", name=label).click()


def expect_message(page: Page, text: str) -> None:
    from playwright.sync_api import expect

    expect(page.locator("ul.messages li.success")).to_have_text(text)


def forge_post(page: Page, url: str) -> APIResponse:
    """POST to ``url`` with the user's session and a valid CSRF token, as a hand-made form
    (or a script) would, bypassing the buttons the page offers."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert token is not None
    return page.request.post(
        url, form={"csrfmiddlewaretoken": token, "text": "自己销号"}, max_redirects=0
    )

"""The notice import screen: upload, choose unit, round and group, preview, confirm —
and nothing is written before the confirmation. (The main path imports the same way, as the
office; here it is the group.)"""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import (
    OpenPage,
    Organisations,
    confirm_import,
    login,
    preview_seed_import,
)


def test_the_group_imports_the_seed_notice_and_lands_on_its_ledger_tree(
    open_page: OpenPage, organisations: Organisations, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    login(page, "group")
    page.get_by_role("link", name="巡察台账").click()
    expect(page.get_by_text("暂无您可查看的巡察。")).to_be_visible()
    preview_seed_import(page, tmp_path, organisations)
    expect(page.locator("h1")).to_contain_text("导入预览")
    counts = page.locator("#preview-counts .card")
    expect(counts).to_have_text(["4个方面", "11个问题", "31项整改措施"])

    # Nothing is written before the confirmation: the unit sees no inspection yet.
    liaison = open_page()
    login(liaison, "liaison")
    liaison.get_by_role("link", name="巡察台账").click()
    expect(liaison.get_by_text("暂无您可查看的巡察。")).to_be_visible()

    confirm_import(page)
    expect(page.locator("h1")).to_contain_text("区科协")
    expect(page.locator("h1")).to_contain_text(organisations.round.name)
    expect(page.locator("section.aspect")).to_have_count(4)
    expect(page.locator("div.problem")).to_have_count(11)
    expect(page.locator("div.problem tbody tr a[href^='/measures/']")).to_have_count(31)

    # Now the unit sees it in its ledger list.
    liaison.reload()
    expect(liaison.get_by_role("link", name="区科协")).to_be_visible()

"""The process from its first day in a browser: the group creates an inspection, pastes its
feedback, confirms the preview and hands it over; only then does the unit see it."""

from __future__ import annotations

import re

from tests.browser.conftest import OpenPage, Organisations, login

FEEDBACK = """一、党的领导弱化方面
（一）落实意识形态工作责任制不到位
1.立行立改：网站信息审核流于形式。
二、党的建设缺失方面
（一）“三会一课”制度落实不严格
"""


def test_the_group_pastes_feedback_and_hands_it_over(
    open_page: OpenPage, organisations: Organisations
) -> None:
    from playwright.sync_api import expect

    page = open_page()
    login(page, "group")
    page.goto("/inspections/")
    page.get_by_role("link", name="新建巡察（录入反馈意见）").click()
    page.get_by_label("被巡察单位").select_option(label=str(organisations.unit))
    page.get_by_label("巡察轮次").select_option(label=str(organisations.round))
    page.get_by_label("巡察组").select_option(label=str(organisations.group))
    page.get_by_role("button", name="新建").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/feedback/$"))

    page.get_by_label("反馈意见全文").fill(FEEDBACK)
    page.get_by_role("button", name="识别并预览").click()
    expect(page.locator("#paste-preview tbody tr")).to_have_count(2)
    page.get_by_role("button", name="确认添加").click()
    expect(page.locator("section.aspect")).to_have_count(2)
    expect(page.get_by_text("立行立改").first).to_be_visible()

    liaison = open_page()
    login(liaison, "liaison")
    liaison.goto("/inspections/")
    expect(liaison.get_by_role("link", name=str(organisations.unit))).to_have_count(0)

    page.get_by_role("button", name="交付反馈").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    liaison.reload()
    expect(liaison.get_by_role("link", name=str(organisations.unit))).to_be_visible()

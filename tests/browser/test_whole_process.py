"""One inspection from an empty ledger to its public notice, through the screens only.

No import, no shell: the group creates the inspection and enters its feedback (2 aspects,
4 problems) and hands it over; the office marks one problem 不予公开; the unit's liaison
drafts a measure for every problem (one for the ``owner`` account) and submits the plan; the
office returns it once with a reason, the group and an observer give their opinions, the unit
resubmits and the office approves; the owner starts work and uploads a PDF, the liaison
submits for close-out and the office closes every measure out; the unit downloads its
整改情况报告 and the leader publishes the 整改情况通报, which the public page shows without the
confidential problem.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.utils import timezone

from tests.browser.conftest import OpenPage, Organisations, login
from tests.browser.test_main_path import (
    expect_message,
    light_of,
    measure_rows,
    press,
    status_of,
)
from zhenggai.ledger.demo import NAMES

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ASPECTS = ("党的领导弱化方面", "党的建设缺失方面")
PROBLEMS = (
    "落实意识形态工作责任制不到位",
    "理论学习中心组学习不规范",
    "“三会一课”制度落实不严格",
    "发展党员程序不规范",
)
CONFIDENTIAL = PROBLEMS[3]
FEEDBACK = f"""一、{ASPECTS[0]}
（一）{PROBLEMS[0]}
1.网站信息审核流于形式。
（二）{PROBLEMS[1]}
二、{ASPECTS[1]}
（一）{PROBLEMS[2]}
（二）{PROBLEMS[3]}
"""
PHONE = "0371-23456789"
RETURN_REASON = "完成标准不够具体，请细化后重新报送。"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_one_inspection_from_feedback_to_public_notice(
    open_page: OpenPage, organisations: Organisations
) -> None:
    from playwright.sync_api import expect

    group = open_page()
    login(group, "group")
    inspection_url = create_inspection_with_feedback(group, organisations)
    hand_over_feedback(group)

    office = open_page()
    login(office, "office")
    mark_confidential(office, inspection_url, CONFIDENTIAL)

    liaison = open_page()
    login(liaison, "liaison")
    liaison.goto(inspection_url)
    expect(liaison.locator("div.problem")).to_have_count(4)
    draft_measures(liaison, inspection_url)
    submit_plan(liaison, inspection_url)

    return_plan(office, inspection_url)
    fix_returned_plan(liaison, inspection_url)
    submit_plan(liaison, inspection_url)
    record_opinion(group, inspection_url, "问题查摆到位，同意。")
    observer = open_page()
    login(observer, "observer")
    record_opinion(observer, inspection_url, "建议加强督促。")
    approve_plan(office, inspection_url)

    owner = open_page()
    login(owner, "owner")
    owned = work_on_owned_measure(owner, inspection_url)
    submit_every_measure(liaison, inspection_url, owned)
    close_out_every_measure(office, inspection_url)

    leader = open_page()
    login(leader, "leader")
    download_report(leader, inspection_url)
    public_url = publish_notice(leader, inspection_url)
    check_public_page(open_page(), public_url)


# --- 1. the group: inspection, feedback, hand-over -------------------------------------------


def create_inspection_with_feedback(page: Page, org: Organisations) -> str:
    """新建巡察, paste the feedback, confirm the preview; returns the inspection's URL."""
    from playwright.sync_api import expect

    page.goto("/inspections/")
    page.get_by_role("link", name="新建巡察（录入反馈意见）").click()
    page.get_by_label("被巡察单位").select_option(label=str(org.unit))
    page.get_by_label("巡察轮次").select_option(label=str(org.round))
    page.get_by_label("巡察组").select_option(label=str(org.group))
    page.get_by_label("反馈日期").fill(timezone.localdate().isoformat())
    page.get_by_label("监督电话").fill(PHONE)
    page.get_by_role("button", name="新建").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/feedback/$"))
    expect_message(page, "已新建巡察，请录入反馈意见。")
    expect(page.locator("p.meta")).to_contain_text("未交付：被巡察单位尚看不到")

    page.get_by_label("反馈意见全文").fill(FEEDBACK)
    page.get_by_role("button", name="识别并预览").click()
    expect(page.locator("#paste-preview tbody tr")).to_have_count(4)
    page.get_by_role("button", name="确认添加").click()
    expect_message(page, "已添加 4 个问题。")
    expect(page.locator("section.aspect")).to_have_count(2)
    for title in PROBLEMS:
        expect(page.locator("section.aspect li", has_text=title)).to_have_count(1)
    return page.url.removesuffix("feedback/")


def hand_over_feedback(page: Page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="交付反馈").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    expect_message(page, "反馈意见已交付被巡察单位。")
    expect(page.locator("#not-handed-over")).to_have_count(0)


def mark_confidential(page: Page, inspection_url: str, title: str) -> None:
    """The office opens the problem's edit page and ticks 不予公开."""
    from playwright.sync_api import expect

    page.goto(inspection_url)
    problem_of(page, title).get_by_role("link", name="编辑").click()
    page.get_by_label("不予公开").check()
    page.locator("#problem-edit-form").get_by_role("button", name="保存").click()
    expect_message(page, "已保存。")
    page.goto(inspection_url)
    expect(problem_of(page, title).locator(".confidential")).to_have_text("不予公开")


# --- 2. the unit drafts and submits the plan -------------------------------------------------


def draft_measures(page: Page, inspection_url: str) -> None:
    """One measure per problem, each with kind, owners, deadline and completion standard; the
    first one is assigned to the ``owner`` account."""
    from playwright.sync_api import expect

    for title in PROBLEMS:
        add_measure(page, inspection_url, title, f"针对{title}，制定整改办法并组织落实")
    page.goto(plan_url(inspection_url))
    expect(plan_status(page)).to_have_text("起草中")
    expect(page.locator("#completeness ul.gaps li").first).to_be_visible()
    expect(page.get_by_role("button", name="报送整改方案")).to_be_visible()

    due = timezone.localdate() + dt.timedelta(days=30)
    for number, title in enumerate(PROBLEMS, 1):
        page.goto(inspection_url)
        problem_of(page, title).locator("a[href^='/measures/']").click()
        fill_measure(page, due, owner="owner" if number == 1 else None)

    page.goto(plan_url(inspection_url))
    expect(page.locator("#completeness p.ok")).to_contain_text("可以报送")
    expect(page.locator("#completeness ul.gaps")).to_have_count(0)


def add_measure(page: Page, inspection_url: str, problem: str, content: str) -> None:
    page.goto(inspection_url)
    problem_of(page, problem).get_by_role("link", name="编辑").click()
    page.get_by_label("新增整改措施").fill(content)
    page.get_by_role("button", name="添加整改措施").click()
    expect_message(page, "已添加整改措施。")


def fill_measure(page: Page, due: dt.date, owner: str | None) -> None:
    from playwright.sync_api import expect

    page.get_by_label("整改类型").select_option(label="限期整改")
    page.get_by_label("责任领导").fill("王书记")
    page.get_by_label("责任部门").fill("办公室")
    page.locator("#id_responsible_person").fill("李主任")
    if owner:
        choose_account(page.get_by_label("责任人账号"), owner)
    page.get_by_label("完成时限").fill(due.isoformat())
    page.get_by_label("完成标准").fill("制度印发并执行到位")
    page.get_by_role("button", name="保存").click()
    expect_message(page, "已保存。")
    expect(page.locator("dl.facts")).to_contain_text("限期整改")
    if owner:
        expect(page.locator("dl.facts")).to_contain_text(f"李主任（{NAMES[owner]}）")


def fix_returned_plan(page: Page, inspection_url: str) -> None:
    """The unit reads the office's reason and makes each completion standard specific."""
    from playwright.sync_api import expect

    page.goto(plan_url(inspection_url))
    expect(plan_status(page)).to_have_text("退回修改")
    expect(page.locator("#versions tbody")).to_contain_text(RETURN_REASON)
    for url in measure_urls(page, inspection_url):
        page.goto(url)
        page.get_by_label("完成标准").fill("制度印发、组织学习不少于2次并形成记录")
        page.get_by_role("button", name="保存").click()
        expect_message(page, "已保存。")
        expect(page.locator("dl.facts")).to_contain_text("不少于2次")


def choose_account(select: Locator, username: str) -> None:
    """Accounts are listed as “username（full name）”."""
    option = select.locator("option").filter(has_text=re.compile(rf"^{username}(（|$)"))
    select.select_option(value=option.get_attribute("value"))


def submit_plan(page: Page, inspection_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(plan_url(inspection_url))
    page.get_by_role("button", name="报送整改方案").click()
    expect_message(page, "整改方案已报送，待审核。")
    expect(plan_status(page)).to_have_text("已报送待审核")


# --- 3. the review: returned once, opinions, approved ----------------------------------------


def return_plan(page: Page, inspection_url: str) -> None:
    from playwright.sync_api import expect

    decide_plan(page, inspection_url, "退回修改", RETURN_REASON)
    expect_message(page, "整改方案已退回修改。")
    expect(plan_status(page)).to_have_text("退回修改")
    expect(page.locator("#versions tbody")).to_contain_text(RETURN_REASON)


def approve_plan(page: Page, inspection_url: str) -> None:
    from playwright.sync_api import expect

    decide_plan(page, inspection_url, "审定通过", "同意。")
    expect_message(page, "整改方案已审定。")
    expect(plan_status(page)).to_have_text("已审定")
    expect(page.locator("#versions tbody tr")).to_have_count(2)


def decide_plan(page: Page, inspection_url: str, decision: str, reason: str) -> None:
    page.goto(plan_url(inspection_url))
    form = page.locator("#plan-decide-form")
    form.locator("select").select_option(label=decision)
    form.get_by_label("审定意见").fill(reason)
    form.get_by_role("button", name="提交审定").click()


def record_opinion(page: Page, inspection_url: str, text: str) -> None:
    from playwright.sync_api import expect

    page.goto(plan_url(inspection_url))
    form = page.locator("#plan-opinion-form")
    form.get_by_label("审核意见").fill(text)
    form.get_by_role("button", name="提交意见").click()
    expect_message(page, "审核意见已记录。")
    expect(page.locator("#review tbody")).to_contain_text(text)


# --- 4. the work and the close-out -----------------------------------------------------------


def work_on_owned_measure(page: Page, inspection_url: str) -> str:
    """The owner finds their measure on the tree, starts work and uploads a PDF; returns the
    measure's URL."""
    from playwright.sync_api import expect

    page.goto(inspection_url)
    row = measure_rows(page).filter(has_text=f"（{NAMES['owner']}）")
    expect(row).to_have_count(1)
    link = row.get_by_role("link")
    url = link.get_attribute("href")
    assert url is not None
    link.click()
    press(page, "开始整改")
    expect_message(page, "已开始整改。")
    expect(status_of(page)).to_have_text("整改中")
    page.get_by_label("文件").set_input_files(
        {"name": "学习制度.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("题名").fill("区科协党组理论学习中心组学习制度")
    page.get_by_role("button", name="添加").click()
    expect_message(page, "佐证材料已添加。")
    expect(page.locator("section", has_text="佐证材料").locator("li").first).to_contain_text(
        "学习制度.pdf"
    )
    return url


def submit_every_measure(page: Page, inspection_url: str, started: str) -> None:
    """The liaison starts the other measures and submits all four for close-out."""
    from playwright.sync_api import expect

    for url in measure_urls(page, inspection_url):
        page.goto(url)
        if url != started:
            press(page, "开始整改")
            expect_message(page, "已开始整改。")
            page.get_by_label("题名").fill("整改工作记录")
            page.get_by_role("button", name="添加").click()
            expect_message(page, "佐证材料已添加。")
        press(page, "提交验收")
        expect_message(page, "已提交验收。")
        expect(status_of(page)).to_have_text("已提交待验收")
        expect(page.get_by_role("button", name="验收销号")).to_have_count(0)


def close_out_every_measure(page: Page, inspection_url: str) -> None:
    from playwright.sync_api import expect

    for url in measure_urls(page, inspection_url):
        page.goto(url)
        press(page, "验收销号", note="材料齐全，同意销号。")
        expect_message(page, "已验收销号。")
        expect(status_of(page)).to_have_text("已销号")
        expect(light_of(page)).to_have_class(re.compile(r"\bgreen\b"))
    page.goto(inspection_url)
    expect(measure_rows(page).filter(has_text="已销号")).to_have_count(4)


# --- 5. the documents and the public notice --------------------------------------------------


def download_report(page: Page, inspection_url: str) -> None:
    page.goto(inspection_url)
    href = page.get_by_role("link", name="整改情况报告").get_attribute("href")
    assert href is not None
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"].startswith(DOCX)
    assert response.body()[:2] == b"PK"


def publish_notice(page: Page, inspection_url: str) -> str:
    """The leader approves the 整改情况通报 for publication; returns its public address."""
    from playwright.sync_api import expect

    page.goto(inspection_url)
    page.locator("#publication-link").click()
    draft = page.locator("#draft-text")
    expect(draft).to_contain_text(ASPECTS[0])
    expect(draft).not_to_contain_text(CONFIDENTIAL)
    page.get_by_role("button", name="批准并公开").click()
    expect_message(page, "已公开第1版。")
    link = page.locator("#publication-status p.online a")
    href = link.get_attribute("href")
    assert href is not None and href.startswith("/public/")
    return href


def check_public_page(page: Page, public_url: str) -> None:
    """Anyone, without logging in, reads the notice: the aspects, not the confidential one."""
    from playwright.sync_api import expect

    response = page.goto(public_url)
    assert response is not None and response.status == 200
    body = page.locator("body")
    for title in ASPECTS:
        expect(body).to_contain_text(title)
    expect(body).to_contain_text(PROBLEMS[0])
    expect(body).not_to_contain_text(CONFIDENTIAL)
    expect(body).to_contain_text(PHONE)


# --- what a person looks at -----------------------------------------------------------------


def plan_url(inspection_url: str) -> str:
    return f"{inspection_url}plan/"


def plan_status(page: Page) -> Locator:
    return page.locator("#plan-status")


def problem_of(page: Page, title: str) -> Locator:
    return page.locator("div.problem").filter(has=page.locator("h3", has_text=title))


def measure_urls(page: Page, inspection_url: str) -> list[str]:
    page.goto(inspection_url)
    links = measure_rows(page).get_by_role("link")
    return [str(link.get_attribute("href")) for link in links.all()]

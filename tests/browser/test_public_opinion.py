"""群众监督意见 in the browser: a citizen writes on the demo's public page (answering the
captcha), the liaison assigns and answers it, the office publishes the answer, and the citizen
reads it with the tracking code."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import PASSWORD, OpenPage, Organisations, login


def _captcha_answer(page: Any) -> str:
    """What a person reads off the image: the stored answer of the key in the form."""
    from captcha.models import CaptchaStore

    key = page.locator("input[name=captcha_0]").input_value()
    return str(CaptchaStore.objects.get(hashkey=key).response)


def test_a_citizen_is_answered_through_the_tracking_code(
    open_page: OpenPage, organisations: Organisations
) -> None:
    from playwright.sync_api import expect

    from zhenggai.ledger import demo
    from zhenggai.opinions import demo as opinions_demo

    result = demo.populate(PASSWORD)
    public_path = opinions_demo.populate(result.inspection_id)
    assert public_path is not None

    citizen = open_page()
    citizen.goto(public_path)
    citizen.get_by_role("link", name="提出监督意见").click()
    citizen.get_by_label("联系方式（电话或电子邮箱）").fill("13811112222")
    citizen.get_by_label("意见内容").fill("<b>科普活动</b>是否已经恢复？")
    citizen.locator("input[name=captcha_1]").fill(_captcha_answer(citizen))
    citizen.get_by_role("button", name="提交").click()
    code = citizen.locator("#tracking-code").inner_text().strip()
    assert len(code) >= 22

    liaison = open_page()
    login(liaison, "liaison")
    liaison.goto(f"/opinions/inspection/{result.inspection_id}/")
    liaison.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    expect(liaison.locator("#opinion")).to_contain_text("<b>科普活动</b>")
    liaison.get_by_role("button", name="对应到问题").click()
    expect(liaison.locator("#opinion-status")).to_have_text("办理中")
    liaison.locator("#answer-form textarea").fill("科普活动室已于每周二、四开放。")
    liaison.get_by_role("button", name="答复").click()
    expect(liaison.locator("#opinion-status")).to_have_text("已答复")
    opinion_url = liaison.url

    office = open_page()
    login(office, "office")
    office.goto(opinion_url)
    office.get_by_role("button", name="公开答复").click()
    expect(office.locator("#opinion-status")).to_have_text("已公开答复")

    citizen.get_by_role("link", name="查询办理情况").click()
    expect(citizen.locator("#tracking-status")).to_have_text("已答复")
    expect(citizen.locator("#tracking-answer")).to_have_text("科普活动室已于每周二、四开放。")

"""Names people read (姓名, object names, readable diffs, evidence metadata, search by 文号)
and the account page (one's own sessions and tokens, password messages in one's language)."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.api import tokens
from zhenggai.ledger import actions
from zhenggai.ledger.models import AuditEvent, Measure
from zhenggai.web import history

EVIDENCE_TITLE = "关于印发《区科协党组理论学习中心组学习制度》的通知"
EVIDENCE_NUMBER = "汴科协文〔2024〕6号"


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _named(world: World, persona: str, name: str) -> None:
    user = world[persona]
    user.first_name = name
    user.save(update_fields=["first_name"])


def _measure_page(client: Client, measure: Measure) -> str:
    response = client.get(reverse("web:measure", kwargs={"pk": measure.pk}))
    assert response.status_code == 200
    return response.content.decode()


def _with_evidence(world: World) -> Measure:
    measure = world.measure_a
    actions.add_evidence(
        measure,
        by=world["liaison"],
        title=EVIDENCE_TITLE,
        doc_number=EVIDENCE_NUMBER,
        date=dt.date(2024, 3, 8),
        pages=12,
    )
    return measure


# --- people and objects by name ------------------------------------------------------------


def test_people_appear_by_name_and_the_role_once_in_the_header(world: World) -> None:
    _named(world, "liaison", "郑晓")
    _named(world, "owner", "刘洋")
    measure = _with_evidence(world)
    page = _measure_page(_as(world, "liaison"), measure)
    assert '<span class="name">郑晓</span>' in page
    assert page.count('class="roles"') == 1
    assert "（刘洋）" in page  # the measure's owner account
    assert "· 郑晓 " in page  # who added the evidence
    assert "（owner）" not in page and "· liaison " not in page


def test_a_name_that_is_the_role_is_not_shown_twice(world: World) -> None:
    client = _as(world, "liaison")
    roles = re.search(r'<span class="roles">(.*?)</span>', client.get("/").content.decode())
    assert roles is not None
    _named(world, "liaison", roles.group(1))
    header = client.get("/").content.decode().split("</header>")[0]
    assert header.count(roles.group(1)) == 1
    assert 'class="roles"' not in header


def test_the_history_names_the_unit_and_the_actor_instead_of_ids(world: World) -> None:
    _named(world, "office", "周敏")
    actions.update_inspection(
        world.inspection_a, {"title": "关于区科协巡察整改情况的通报（修订）"}, by=world["office"]
    )
    create = AuditEvent(
        action="inspection.create",
        target_type="inspection",
        after={"unit_id": world.unit_a.pk, "round_id": world.round.pk},
    )
    names = history.related_names([create])
    shown = {c.field: c.after for c in history.changes(create, names)}
    assert str(world.unit_a) in shown.values()
    assert f"#{world.unit_a.pk}" not in shown.values()
    page = _as(world, "office").get(reverse("web:inspection", kwargs={"pk": world.inspection_a.pk}))
    table = page.content.decode().split('id="inspection-history-table"')[1]
    assert "<td>周敏</td>" in table


def test_a_long_text_edit_reads_as_what_went_and_what_came(world: World) -> None:
    measure = world.measure_a
    before = "组织党组理论学习中心组专题学习党的二十大精神，每季度不少于一次，形成学习记录。"
    after = "组织党组理论学习中心组专题学习党的二十大精神，每月不少于一次，形成学习记录。"
    for content in (before, after):
        measure.refresh_from_db()
        actions.update_measure(
            measure, {"content": content}, by=world["liaison"], expected_version=measure.version
        )
    page = _measure_page(_as(world, "liaison"), measure)
    table = page.split('id="measure-history"')[1]
    assert '<dd class="diff">' in table
    assert "<del>季度</del><ins>月</ins>" in table
    assert "{" not in table.split("</table>")[0]  # no JSON anywhere in the history


def test_a_record_in_a_snapshot_reads_as_labels_not_json(db: None) -> None:
    event = AuditEvent(action="inspection.import", target_type="inspection", after={"x": 1})
    event.after = {"counts": {"aspects": 4, "problems": 11}}
    (change,) = history.changes(event)
    assert change.after == "方面：4；问题：11"


# --- evidence and search -------------------------------------------------------------------


def test_the_measure_page_shows_the_evidence_metadata(world: World) -> None:
    page = _measure_page(_as(world, "liaison"), _with_evidence(world))
    assert f'<span class="doc-number">{EVIDENCE_NUMBER}</span>' in page
    assert f'《<span class="doc-title">{EVIDENCE_TITLE}</span>》' in page
    assert "成文日期 2024-03-08" in page and "12页" in page


def test_search_finds_a_measure_by_its_evidence_number_and_title(world: World) -> None:
    measure = _with_evidence(world)
    link = reverse("web:measure", kwargs={"pk": measure.pk})
    for q in (EVIDENCE_NUMBER, "中心组学习制度"):
        page = _as(world, "liaison").get(reverse("web:search"), {"q": q}).content.decode()
        assert link in page, q
        # Another unit's liaison does not find it: search stays within what one may see.
        other = _as(world, "other").get(reverse("web:search"), {"q": q}).content.decode()
        assert link not in other


# --- the account page ----------------------------------------------------------------------


def test_the_account_page_lists_ones_own_sessions_and_tokens(world: World) -> None:
    tokens.issue_token(world["liaison"], name="统计报表脚本", days=30)
    tokens.issue_token(world["other"], name="别人的令牌", days=30)
    liaison = Client()
    liaison.post(reverse("login"), {"username": "liaison", "password": "x"})  # refused
    liaison.force_login(world["liaison"])
    _as(world, "other")  # a session of somebody else
    page = liaison.get(reverse("web:account"))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    text = page.content.decode()
    sessions = text.split('id="account-sessions"')[1].split("</table>")[0]
    assert sessions.count("<tr") == 2  # header and this session
    assert "本次登录" in sessions
    assert "统计报表脚本" in text and "别人的令牌" not in text
    assert 'id="account-link"' in text


def test_revoking_a_token_from_the_account_page_is_audited_and_comes_back(world: World) -> None:
    record, _secret = tokens.issue_token(world["liaison"], name="统计报表脚本", days=30)
    url = reverse("web:api_token_revoke", kwargs={"pk": record.pk})
    response = _as(world, "liaison").post(url, {"next": reverse("web:account")})
    assert response.status_code == 302 and response["Location"] == reverse("web:account")
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token.revoke", actor=world["liaison"]).exists()
    # Nobody revokes another's token, from this page or any.
    theirs, _secret = tokens.issue_token(world["other"], name="别人的令牌", days=30)
    url = reverse("web:api_token_revoke", kwargs={"pk": theirs.pk})
    assert _as(world, "liaison").post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_password_messages_come_in_the_chosen_language(world: World) -> None:
    form = {"old_password": "wrong", "new_password1": "12345678", "new_password2": "12345678"}
    chinese = _as(world, "liaison").post(reverse("password_change"), form)
    text = chinese.content.decode()
    assert "旧密码不正确" in text and "密码只包含数字" in text
    assert "admin/css" not in text and 'class="top"' in text  # the site's look
    english = _as(world, "liaison")
    english.cookies["django_language"] = "en"
    text = english.post(reverse("password_change"), form).content.decode()
    assert "Your old password was entered incorrectly" in text
    assert "entirely numeric" in text


def test_the_account_page_and_an_order_read_in_english(world: World) -> None:
    client = _as(world, "liaison")
    client.cookies["django_language"] = "en"
    text = client.get(reverse("web:account")).content.decode()
    assert "Sign-in sessions" in text and "This session" in text and "My account" in text
    assert "登录会话" not in text

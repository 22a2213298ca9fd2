"""``zhenggai demo``: a ready-to-try ledger, built from the seed notice, served on this machine.

``populate()`` is idempotent: organisations and accounts are looked up by name first, and
the demo inspection (开封市龙亭区科协 in the demo round) is imported and filled in only when
it does not exist yet. Everything ledger-side goes through the actions, so the demo has the
same audit trail real use would have.

The accounts, one per role: office (巡察办), group (巡察组), leader (单位主要负责人), liaison
(联络员), owner (责任人), observer (纪委、组织部), other (liaison of the second unit), and the
three administrators (三员): sysadmin, secadmin (security), auditadmin (audit).
Their password is ``ZHENGGAI_DEMO_PASSWORD`` or, when unset, a random one printed once; only
its hash is stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from importlib import resources
from typing import Any

from zhenggai.cli import UserError
from zhenggai.ledger import serve

log = logging.getLogger("zhenggai.demo")

SEED = "longting-kexie-2024.txt"
REGION = "开封市龙亭区"
UNIT = ("开封市龙亭区科协", "区科协")
OTHER_UNIT = ("开封市龙亭区文化广电和旅游局", "区文广旅局")
GROUP = "区委第一巡察组"
ROUND = "十四届区委第五轮巡察"

# username → (role, scope name, display name)
ACCOUNTS: dict[str, tuple[str, str, str]] = {
    "office": ("office", "region", f"巡察办（{REGION}）"),
    "group": ("group", "group", GROUP),
    "leader": ("unit_leader", "unit", f"单位主要负责人（{UNIT[0]}）"),
    "liaison": ("liaison", "unit", f"整改联络员（{UNIT[0]}）"),
    "owner": ("owner", "unit", f"整改责任人（{UNIT[0]}）"),
    "observer": ("observer", "region", f"观察员：纪委、组织部（{REGION}）"),
    "other": ("liaison", "other_unit", f"整改联络员（{OTHER_UNIT[0]}）"),
    "sysadmin": ("sysadmin", "", "系统管理员（单位、区域、账号基本信息，不看台账）"),
    "secadmin": ("security_admin", "", "安全管理员（角色授权、启用停用账号，不看台账）"),
    "auditadmin": ("audit_admin", "", "审计管理员（查阅、导出审计日志，校验审计链）"),
}
# The demo's people by 姓名 (the screens show names; the role is shown beside it, once).
NAMES = {
    "office": "周敏",
    "group": "吴刚",
    "leader": "张明",
    "liaison": "郑晓",
    "owner": "刘洋",
    "observer": "冯军",
    "other": "何颖",
    "sysadmin": "钱进",
    "secadmin": "韩冰",
    "auditadmin": "杨帆",
}
LEADERS = ("党组书记、主席 张明", "党组成员、副主席 李华", "党组成员、秘书长 王芳")
DEPARTMENTS = ("办公室", "学会学术部", "科普部")
PEOPLE = ("刘洋", "陈静", "赵磊", "孙丽")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "demo",
        help="演示：建立示例数据和各角色账号，并在本机启动服务",
        description="在数据目录中建立演示台账（龙亭区科协巡察整改）和各角色账号，然后启动服务。",
    )
    parser.add_argument("--port", type=int, default=serve.DEFAULT_PORT, help="端口（默认 8000）")
    parser.add_argument("--init-only", action="store_true", help="只建立演示数据，不启动服务")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    serve.setup_django()
    serve.prepare()
    result = _populate_for_cli()
    _print_summary(result, args.port)
    _print_public_address(result, args.port)
    if not args.init_only:
        serve.serve("127.0.0.1", args.port, threads=4)
    return 0


def _print_public_address(result: DemoResult, port: int) -> None:
    """The seed's notice published, with opinions in each state (``zhenggai.opinions.demo``)."""
    from zhenggai.opinions import demo as opinions_demo

    path = opinions_demo.populate(result.inspection_id)
    if path is not None:
        print(f"公开通报（群众可提出监督意见）：http://127.0.0.1:{port}{path}")


def _populate_for_cli() -> DemoResult:
    from django.db import Error as DatabaseError

    from zhenggai.ledger.errors import LedgerError

    try:
        return populate(_password_from_environment())
    except LedgerError as exc:
        log.warning("demo data refused: %r", exc)
        raise UserError(f"建立演示数据失败：{exc.message}") from exc
    except DatabaseError as exc:
        log.warning("demo data failed: %r", exc)
        raise UserError(f"建立演示数据时数据库出错：{exc}") from exc


def _password_from_environment() -> str | None:
    from django.conf import settings

    return settings.DEMO_PASSWORD or None


@dataclass(frozen=True)
class DemoResult:
    inspection_id: int
    counts: tuple[int, int, int]  # aspects, problems, measures
    password: str | None  # to print: set in this run; None when the accounts already existed
    generated: bool


def populate(password: str | None = None) -> DemoResult:
    """Create whatever of the demo is missing. ``password`` (validated) or a generated one
    is set on accounts created now; with an explicit ``password`` existing ones are reset."""
    from django.db import transaction

    from zhenggai.ledger.models import Aspect, Measure, Problem

    generated = password is None
    password = password or _generate_password()
    _validate(password, generated)
    with transaction.atomic():
        places = _organisations()
        created = _accounts(places, password, reset=not generated)
        if generated:
            _must_change(created)
        inspection = _demo_inspection(places, created)
    counts = (
        Aspect.objects.filter(inspection=inspection).count(),
        Problem.objects.filter(aspect__inspection=inspection).count(),
        Measure.objects.filter(inspection=inspection).count(),
    )
    shown = password if created or not generated else None
    return DemoResult(inspection.pk, counts, shown, generated and bool(created))


def _must_change(usernames: list[str]) -> None:
    """A generated password was printed on a console: each account's first login replaces it."""
    from zhenggai.ledger.models import User
    from zhenggai.security.passwords import mark_must_change

    for user in User.objects.filter(username__in=usernames):
        mark_must_change(user)


def _generate_password() -> str:
    # Four character classes whatever token_urlsafe returns, so it passes the validators.
    return f"Zg-{secrets.token_urlsafe(9)}7"


def _validate(password: str, generated: bool) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        validate_password(password)
    except DjangoValidationError as exc:
        if generated:  # cannot happen with the validators shipped; never print a bad one
            raise
        raise UserError("ZHENGGAI_DEMO_PASSWORD 不符合密码要求：" + " ".join(exc.messages)) from exc


def _organisations() -> dict[str, Any]:
    from zhenggai.ledger.models import InspectionGroup, InspectionRound, Region, Unit

    region, _ = Region.objects.get_or_create(name=REGION, parent=None)
    unit, _ = Unit.objects.get_or_create(
        region=region, name=UNIT[0], defaults={"short_name": UNIT[1]}
    )
    other, _ = Unit.objects.get_or_create(
        region=region, name=OTHER_UNIT[0], defaults={"short_name": OTHER_UNIT[1]}
    )
    group, _ = InspectionGroup.objects.get_or_create(region=region, name=GROUP)
    round_, _ = InspectionRound.objects.get_or_create(region=region, name=ROUND)
    return {"region": region, "unit": unit, "other_unit": other, "group": group, "round": round_}


def _accounts(places: dict[str, Any], password: str, *, reset: bool) -> list[str]:
    """Create the missing accounts (and reset passwords if asked); the usernames created."""
    from zhenggai.ledger.models import ADMIN_ROLES, Membership, User

    created = []
    for username, (role, scope, label) in ACCOUNTS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username,
                password=password,
                first_name=NAMES.get(username, label)[:150],
                is_staff=role in ADMIN_ROLES,
            )
            created.append(username)
        elif reset:
            user.set_password(password)
            user.save(update_fields=["password"])
        target = places.get(scope)
        membership = {scope if scope != "other_unit" else "unit": target} if target else {}
        Membership.objects.get_or_create(user=user, role=role, **membership)
    return created


def _demo_inspection(places: dict[str, Any], created: list[str]) -> Any:
    from zhenggai.ledger import importing
    from zhenggai.ledger.models import Inspection, User
    from zhenggai.notice import parse

    existing = Inspection.objects.filter(unit=places["unit"], round=places["round"]).first()
    if existing is not None:
        return existing
    text = resources.files("zhenggai.ledger").joinpath("demo_data", SEED).read_text("utf-8")
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    inspection = importing.confirm_notice_import(
        parse(text),
        by=users["office"],
        unit=places["unit"],
        round=places["round"],
        group=places["group"],
    )
    _recent_round(inspection, users["office"])
    _fill_in(inspection, users)
    return inspection


def _recent_round(inspection: Any, office: Any) -> None:
    """The seed notice's dates (2023) moved to a round that has just ended: feedback three
    weeks ago, so the statutory deadlines lie ahead and the lights mix green, yellow, red."""
    from zhenggai.ledger import actions

    today = _today()
    dates = {
        "start": today - dt.timedelta(days=75),
        "end": today - dt.timedelta(days=40),
        "feedback_date": today - dt.timedelta(days=21),
    }
    actions.update_inspection(inspection, dates, by=office)


def _fill_in(inspection: Any, users: dict[str, Any]) -> None:
    """Plan every measure, then move a few along the workflow, as a unit would after months."""
    from zhenggai.ledger.models import Measure

    measures = list(
        Measure.objects.filter(inspection=inspection).order_by(
            "problem__aspect__no", "problem__no", "no"
        )
    )
    today = _today()
    for index, measure in enumerate(measures):
        _plan(measure, index, today, users)
    _progress(measures, users, today)


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _plan(measure: Any, index: int, today: dt.date, users: dict[str, Any]) -> None:
    from zhenggai.ledger import actions
    from zhenggai.ledger.models import MeasureKind

    kind = MeasureKind.DEADLINE
    if index % 5 == 4:
        kind = MeasureKind.ONGOING
    elif index % 3 == 0:
        kind = MeasureKind.IMMEDIATE
    # Deadlines relative to today, so the demo always has lights of every colour: most are
    # ahead, two are overdue (red), and the first few fall within a week (yellow).
    deadline = today + dt.timedelta(days=5 + 12 * index)
    if index in (5, 12):
        deadline = today - dt.timedelta(days=10 + index)
    changes: dict[str, Any] = {
        "kind": kind,
        "deadline": deadline,
        "responsible_leader": LEADERS[index % len(LEADERS)],
        "responsible_department": DEPARTMENTS[index % len(DEPARTMENTS)],
        "responsible_person": PEOPLE[index % len(PEOPLE)],
        "completion_standard": "形成会议纪要或制度文件，相关材料归档备查。",
    }
    if kind == MeasureKind.ONGOING:
        changes["review_period_months"] = 3
    if index % 4 == 2:
        changes["owner"] = users["owner"]
    actions.update_measure(measure, changes, by=users["liaison"], expected_version=1)


CLOSED, SUBMITTED, IN_PROGRESS = 0, 1, (2, 3, 5, 7, 10)


def _progress(measures: list[Any], users: dict[str, Any], today: dt.date) -> None:
    from zhenggai.ledger import actions

    liaison = users["liaison"]
    for index in IN_PROGRESS:
        measure = actions.start_work(measures[index], by=liaison)
        actions.update_measure(
            measure,
            {"progress": "已召开党组会议研究部署，正在按计划推进。"},
            by=liaison,
            expected_version=measure.version,
        )
        actions.record_progress(measure, by=liaison, text="完成阶段任务，形成初步材料。")
    for index in (CLOSED, SUBMITTED):
        _submit(measures[index], liaison, today)
    actions.verify_and_close_out(measures[CLOSED], by=users["office"], note="材料齐全，同意销号。")


def _submit(measure: Any, liaison: Any, today: dt.date) -> None:
    from zhenggai.ledger import actions

    measure = actions.start_work(measure, by=liaison)
    actions.update_measure(
        measure,
        {"progress": "已完成整改。", "completed_date": today},
        by=liaison,
        expected_version=measure.version,
    )
    actions.add_evidence(
        measure,
        by=liaison,
        title="关于印发《区科协党组理论学习中心组学习制度》的通知",
        doc_number="汴科协文〔2024〕6号",
        date=dt.date(2024, 1, 19),
        pages=4,
    )
    actions.submit_for_closure(measure, by=liaison)


def _print_summary(result: DemoResult, port: int) -> None:
    aspects, problems, measures = result.counts
    print(f"演示台账已就绪：{UNIT[0]}（{aspects} 个方面、{problems} 个问题、{measures} 项措施）")
    print(f"访问地址：http://127.0.0.1:{port}/")
    print(f"登录页面：http://127.0.0.1:{port}/accounts/login/")
    print("演示账号：")
    for username, (_, _, label) in ACCOUNTS.items():
        print(f"  {username:<12}{label}")
    if result.password is None:
        print("账号已存在，密码为首次建立时设置的密码（设置 ZHENGGAI_DEMO_PASSWORD 可重设）。")
    elif result.generated:
        print(f"密码（所有账号相同，仅显示这一次，请记下）：{result.password}")
        print("首次登录时须设置新密码。")
    else:
        print("密码：ZHENGGAI_DEMO_PASSWORD 中设置的密码。")
    second_factor = [name for name, (role, _, _) in ACCOUNTS.items() if role in _2fa_roles()]
    if second_factor:
        print(f"{'、'.join(second_factor)} 登录后须设置双因素认证（手机验证器）。")


def _2fa_roles() -> set[str]:
    from django.conf import settings

    return set(settings.ZHENGGAI_REQUIRE_2FA)

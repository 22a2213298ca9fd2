"""Two rounds of one unit, imported from notices, on top of the ledger's personas.

Unit C (龙亭区农业农村局) is inspected by the world's group in 2020 (a regular round) and again in
2024 (a 回头看 round); the world's district office decides. In 2020, problems 一（一）（二） and
二（一） were closed out, 一（三） is in progress and 二（二） not started. The 2024 round finds
三 of them again in other words, and two problems that only share generic words with 2020's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from tests.ledger.conftest import PERSONAS, World, submit, world
from zhenggai.ledger import actions
from zhenggai.ledger.importing import confirm_notice_import
from zhenggai.ledger.models import (
    Inspection,
    InspectionRound,
    Measure,
    Membership,
    Role,
    RoundKind,
    Unit,
    User,
)
from zhenggai.notice import model as nm

__all__ = ["PERSONAS", "Rounds", "World", "build_notice", "rounds", "submit", "world"]

ROUND_2020 = {
    "政治建设不到位方面": [
        "理论学习在学用结合上有差距",
        "意识形态工作不扎实",
        "公务用车管理不规范",
    ],
    "全面从严治党不到位方面": ["会议记录不规范", "财务管理不规范，存在白条入账现象"],
}
ROUND_2024 = {
    "政治建设方面": [
        "落实意识形态工作责任制不到位",  # 2020 一（二） again
        "党组会议记录不完整、不规范",  # 2020 二（一） again
        "招商引资工作压力传导不够",  # new
    ],
    "从严治党方面": [
        "财务制度执行不严，报销凭证不规范、白条入账",  # 2020 二（二） again
        "安全生产风险排查不到位",  # new
    ],
}


def build_notice(aspects: dict[str, list[str]], feedback: str) -> nm.Notice:
    """A parsed notice as the parser would return it: one measure per problem."""
    return nm.Notice(
        title="关于巡察整改情况的通报",
        issuer="中共开封市龙亭区农业农村局党组",
        inspection=nm.Inspection(group="区委第一巡察组", feedback=feedback),
        aspects=[
            nm.Aspect(
                no=a_no,
                title=title,
                problems=[
                    nm.Problem(
                        no=p_no, title=problem, measures=[nm.Measure(no=1, text="制定整改方案")]
                    )
                    for p_no, problem in enumerate(problems, 1)
                ],
            )
            for a_no, (title, problems) in enumerate(aspects.items(), 1)
        ],
        contacts=nm.Contacts(phones=["0371-22786227"]),
    )


@dataclass
class Rounds:
    world: World
    unit: Unit
    liaison: User
    first: Inspection
    look_back: Inspection

    def measure(self, inspection: Inspection, aspect: int, problem: int) -> Measure:
        return Measure.objects.get(
            problem__aspect__inspection=inspection, problem__aspect__no=aspect, problem__no=problem
        )


def _close(measure: Measure, liaison: User, office: User) -> None:
    actions.start_work(measure, by=liaison)
    actions.add_evidence(measure, by=liaison, title="党组会议纪要")
    actions.submit_for_closure(measure, by=liaison)
    actions.verify_and_close_out(measure, by=office)


def import_round(
    world: World, unit: Unit, name: str, kind: str, aspects: dict[str, list[str]], *, feedback: str
) -> Inspection:
    round = InspectionRound.objects.create(region=world.district, name=name, kind=kind)
    notice = build_notice(aspects, feedback)
    return confirm_notice_import(
        notice, by=world["office"], unit=unit, round=round, group=world.group
    )


@pytest.fixture
def rounds(world: World) -> Rounds:
    unit = Unit.objects.create(
        region=world.district, name="龙亭区农业农村局", short_name="区农业农村局"
    )
    liaison = User.objects.create_user(username="liaison_c", password="Zhenggai-2024")
    Membership.objects.create(user=liaison, role=Role.LIAISON, unit=unit)
    first = import_round(
        world, unit, "十三届区委第三轮巡察", RoundKind.REGULAR, ROUND_2020, feedback="2020-06-30"
    )
    found = Rounds(world, unit, liaison, first, first)
    with time_machine.travel(dt.datetime(2020, 9, 1, 8, tzinfo=dt.UTC), tick=False):
        for aspect, problem in ((1, 1), (1, 2), (2, 1)):
            _close(found.measure(first, aspect, problem), liaison, world["office"])
        actions.start_work(found.measure(first, 1, 3), by=liaison)
    found.look_back = import_round(
        world,
        unit,
        "十四届区委第五轮巡察（回头看）",
        RoundKind.LOOK_BACK,
        ROUND_2024,
        feedback="2024-06-30",
    )
    return found

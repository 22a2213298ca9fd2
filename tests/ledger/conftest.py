"""The personas every ledger test works with, on the real database (no factories).

开封市 ⊃ 龙亭区 (where the round runs) and 鼓楼区 (another district with its own office).
Unit A (龙亭区科协) and unit B (龙亭区文旅局) are both inspected in the same round by the
same group; each has an inspection with one aspect, one problem and measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from zhenggai.ledger import actions
from zhenggai.ledger.models import (
    ADMIN_ROLES,
    Aspect,
    Inspection,
    InspectionGroup,
    InspectionRound,
    Measure,
    MeasureKind,
    Membership,
    Problem,
    Region,
    Role,
    Unit,
    User,
)

# Persona name → (role, scope attribute on World); the scope is looked up after creation.
PERSONAS: dict[str, tuple[Role, str]] = {
    "office": (Role.OFFICE, "district"),
    "group": (Role.GROUP, "group"),
    "leader": (Role.UNIT_LEADER, "unit_a"),
    "liaison": (Role.LIAISON, "unit_a"),
    "owner": (Role.OWNER, "unit_a"),
    "other": (Role.LIAISON, "unit_b"),
    "observer": (Role.OBSERVER, "district"),
    "sysadmin": (Role.SYSADMIN, ""),
    "secadmin": (Role.SECURITY_ADMIN, ""),
    "auditadmin": (Role.AUDIT_ADMIN, ""),
    "far_office": (Role.OFFICE, "far_district"),
}


@dataclass
class World:
    city: Region
    district: Region
    far_district: Region
    unit_a: Unit
    unit_b: Unit
    group: InspectionGroup
    round: InspectionRound
    inspection_a: Inspection
    inspection_b: Inspection
    measure_a: Measure  # owned by the persona "owner"
    measure_a2: Measure  # no owner account
    measure_b: Measure
    users: dict[str, User]

    def __getitem__(self, persona: str) -> User:
        return self.users[persona]


def _inspection(round: InspectionRound, group: InspectionGroup, unit: Unit) -> Inspection:
    return Inspection.objects.create(
        round=round,
        group=group,
        unit=unit,
        title=f"关于{unit.name}巡察整改情况的通报",
        start=dt.date(2023, 10, 13),
        end=dt.date(2023, 11, 17),
        feedback_date=dt.date(2023, 12, 26),
    )


def _measure(inspection: Inspection, no: int, owner: User | None = None) -> Measure:
    aspect, _ = Aspect.objects.get_or_create(
        inspection=inspection, no=1, defaults={"title": "政治引领不突出方面"}
    )
    problem, _ = Problem.objects.get_or_create(
        aspect=aspect, no=1, defaults={"title": "学习贯彻党的二十大精神不够深入"}
    )
    return Measure.objects.create(
        inspection=inspection,
        problem=problem,
        no=no,
        content=f"第{no}项措施：制定学习计划并组织专题学习",
        kind=MeasureKind.DEADLINE,
        owner=owner,
        deadline=dt.date(2024, 3, 31),
    )


@pytest.fixture
def world(db: None) -> World:
    city = Region.objects.create(name="开封市")
    district = Region.objects.create(name="龙亭区", parent=city)
    far_district = Region.objects.create(name="鼓楼区", parent=city)
    unit_a = Unit.objects.create(region=district, name="龙亭区科协党组", short_name="区科协")
    unit_b = Unit.objects.create(
        region=district, name="龙亭区文化广电和旅游局", short_name="区文旅局"
    )
    group = InspectionGroup.objects.create(region=district, name="区委第一巡察组")
    round = InspectionRound.objects.create(region=district, name="十四届区委第五轮巡察")
    scopes = {"district": district, "far_district": far_district, "group": group}
    scopes |= {"unit_a": unit_a, "unit_b": unit_b}
    users = {
        name: _persona(name, role, scopes.get(attr)) for name, (role, attr) in PERSONAS.items()
    }
    inspection_a = _inspection(round, group, unit_a)
    inspection_b = _inspection(round, group, unit_b)
    return World(
        city=city,
        district=district,
        far_district=far_district,
        unit_a=unit_a,
        unit_b=unit_b,
        group=group,
        round=round,
        inspection_a=inspection_a,
        inspection_b=inspection_b,
        measure_a=_measure(inspection_a, 1, owner=users["owner"]),
        measure_a2=_measure(inspection_a, 2),
        measure_b=_measure(inspection_b, 1),
        users=users,
    )


def _persona(name: str, role: Role, scope: object) -> User:
    user = User.objects.create_user(
        username=name, password="Zhenggai-2024", is_staff=role in ADMIN_ROLES
    )
    membership = Membership(user=user, role=role)
    if isinstance(scope, Region):
        membership.region = scope
    elif isinstance(scope, Unit):
        membership.unit = scope
    elif isinstance(scope, InspectionGroup):
        membership.group = scope
    membership.save()
    return user


Submit = Callable[..., Measure]


@pytest.fixture
def submit(world: World) -> Submit:
    """Walk a measure of unit A (default: ``measure_a``) to 已提交待验收 through the actions,
    with one document reference as evidence; ``by`` names the submitting persona."""

    def walk(measure: Measure | None = None, by: str = "liaison") -> Measure:
        measure = measure or world.measure_a
        actions.start_work(measure, by=world["liaison"])
        actions.add_evidence(
            measure, by=world["liaison"], title="党组会议纪要", doc_number="科协纪〔2024〕1号"
        )
        return actions.submit_for_closure(measure, by=world[by])

    return walk

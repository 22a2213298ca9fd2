"""Confidential problems (不予公开): inside the unit only the leader, the liaison and the owners
of the problem's measures read them; to another owner of the unit they do not exist on any
page, export, search or API answer."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.ledger.conftest import World
from zhenggai.ledger import access, actions
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import Measure, MeasureKind, Membership, Problem, Role, User
from zhenggai.supervision.models import Channel, Reminder, Subject

TITLE = "违规发放津贴补贴问题线索"
TEXT = "经查，该单位2022年以来以考核奖名义发放津贴"
CONTENT = "配合纪检监察机关核查津贴发放问题"
SECRETS = (TITLE, TEXT, CONTENT)


@dataclass
class Secret:
    problem: Problem
    measure: Measure
    owner_y: User


@pytest.fixture
def secret(world: World) -> Secret:
    """In unit A: a confidential problem whose only measure is owned by owner Y (not by the
    persona "owner", who is owner X here). The measure is overdue, so it is at risk."""
    owner_y = User.objects.create_user("owner_y", password="Zhenggai-2024")
    Membership.objects.create(user=owner_y, role=Role.OWNER, unit=world.unit_a)
    problem = Problem.objects.create(
        aspect=world.measure_a.problem.aspect, no=2, title=TITLE, text=TEXT, confidential=True
    )
    measure = Measure.objects.create(
        inspection=world.inspection_a,
        problem=problem,
        no=1,
        content=CONTENT,
        kind=MeasureKind.DEADLINE,
        owner=owner_y,
        deadline=dt.date(2024, 1, 31),
    )
    world.users["owner_y"] = owner_y
    return Secret(problem, measure, owner_y)


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _xlsx_text(client: Client, world: World) -> str:
    response = client.get(reverse("web:ledger_export", kwargs={"pk": world.inspection_a.pk}))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.getvalue()))
    cells = (c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    return "\n".join(str(v) for v in cells if v is not None)


def _everything(client: Client, world: World, secret: Secret) -> dict[str, str]:
    """Every place the problem could show, as text."""
    tree = reverse("web:inspection", kwargs={"pk": world.inspection_a.pk})
    api_tree = client.get(f"/api/inspections/{world.inspection_a.pk}")
    return {
        "tree": client.get(tree).content.decode(),
        "search": client.get(reverse("web:search"), {"q": "津贴"}).content.decode(),
        "xlsx": _xlsx_text(client, world),
        "api": json.dumps(api_tree.json(), ensure_ascii=False),
        "dashboard": client.get(reverse("web:dashboard")).content.decode(),
    }


def test_another_owner_of_the_unit_sees_it_nowhere(world: World, secret: Secret) -> None:
    client = _client(world, "owner")
    for place, text in _everything(client, world, secret).items():
        for words in SECRETS:
            assert words not in text, place
    measure_page = reverse("web:measure", kwargs={"pk": secret.measure.pk})
    assert client.get(measure_page).status_code == 404
    assert client.get(f"/api/measures/{secret.measure.pk}").status_code == 404
    # Their own measure is still there.
    assert world.measure_a.content in _everything(client, world, secret)["tree"]


@pytest.mark.parametrize("persona", ["owner_y", "leader", "liaison", "office", "group"])
def test_its_owners_the_leader_the_liaison_and_the_inspectors_see_it(
    world: World, secret: Secret, persona: str
) -> None:
    client = _client(world, persona)
    seen = _everything(client, world, secret)
    for place in ("tree", "search", "xlsx", "api"):
        assert TITLE in seen[place], place
        assert CONTENT in seen[place], place
    measure_page = reverse("web:measure", kwargs={"pk": secret.measure.pk})
    assert client.get(measure_page).status_code == 200
    assert client.get(f"/api/measures/{secret.measure.pk}").status_code == 200


def test_the_access_helpers_leave_it_out_for_another_owner(world: World, secret: Secret) -> None:
    owner_x = world["owner"]
    assert secret.problem not in access.problems_for(owner_x)
    assert secret.measure not in access.measures_for(owner_x)
    with pytest.raises(NotFound):
        access.get_problem_for(owner_x, secret.problem.pk)
    assert not access.can_read(owner_x, secret.measure)
    assert not access.may_read_problem(access.scope_of(owner_x), secret.problem)
    for persona in ("owner_y", "leader", "liaison", "office", "group", "observer"):
        assert secret.measure in access.measures_for(world[persona]), persona
        assert access.may_read_problem(access.scope_of(world[persona]), secret.problem)


def test_an_owner_who_also_leads_the_unit_sees_it(world: World, secret: Secret) -> None:
    Membership.objects.create(user=world["owner"], role=Role.UNIT_LEADER, unit=world.unit_a)
    assert secret.measure in access.measures_for(world["owner"])


def test_a_reminder_about_it_is_not_shown_to_another_owner(world: World, secret: Secret) -> None:
    Reminder.objects.create(
        inspection=world.inspection_a,
        measure=secret.measure,
        recipient=world["owner"],
        subject=Subject.MEASURE,
        kind="overdue",
        deadline=secret.measure.deadline,
        channel=Channel.IN_APP,
    )
    page = _client(world, "owner").get(reverse("web:reminders")).content.decode()
    assert CONTENT not in page


def test_the_dashboard_at_risk_list_shows_it_to_its_owner(world: World, secret: Secret) -> None:
    page = _client(world, "owner_y").get(reverse("web:dashboard")).content.decode()
    assert CONTENT[:20] in page or TITLE[:10] in page


def test_its_evidence_is_not_found_for_another_owner(world: World, secret: Secret) -> None:
    evidence = actions.add_evidence(secret.measure, by=world["liaison"], title="核查报告")
    with pytest.raises(NotFound):
        access.get_evidence_for(world["owner"], evidence.pk)
    assert access.get_evidence_for(secret.owner_y, evidence.pk) == evidence

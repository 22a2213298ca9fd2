"""Every access helper × every role × unit A's and unit B's data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from zhenggai.ledger import access, actions
from zhenggai.ledger.errors import NotFound
from zhenggai.ledger.models import Measure, Membership, Role

# Which unit's inspection each persona may read.
SEES = {
    "office": {"a", "b"},
    "group": {"a", "b"},
    "leader": {"a"},
    "liaison": {"a"},
    "owner": {"a"},
    "other": {"b"},
    "observer": {"a", "b"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
    "far_office": set(),
}
PERSONAS = sorted(SEES)


def objects(world, unit: str) -> dict[str, object]:
    inspection = world.inspection_a if unit == "a" else world.inspection_b
    measure = world.measure_a if unit == "a" else world.measure_b
    return {
        "inspection": inspection,
        "aspect": measure.problem.aspect,
        "problem": measure.problem,
        "measure": measure,
    }


GETTERS = {
    "inspection": access.get_inspection_for,
    "aspect": access.get_aspect_for,
    "problem": access.get_problem_for,
    "measure": access.get_measure_for,
}
LISTS = {
    "inspection": access.inspections_for,
    "problem": access.problems_for,
    "measure": access.measures_for,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("unit", ["a", "b"])
@pytest.mark.parametrize("kind", sorted(GETTERS))
def test_get_for_returns_the_object_in_scope_and_not_found_outside(world, persona, unit, kind):
    target = objects(world, unit)[kind]
    if unit in SEES[persona]:
        assert GETTERS[kind](world[persona], target.pk) == target
    else:
        with pytest.raises(NotFound):
            GETTERS[kind](world[persona], target.pk)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(LISTS))
def test_lists_hold_exactly_what_the_role_may_read(world, persona, kind):
    expected = {objects(world, unit)[kind].pk for unit in SEES[persona]}
    if kind == "measure" and "a" in SEES[persona]:
        expected.add(world.measure_a2.pk)
    assert set(LISTS[kind](world[persona]).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("unit", ["a", "b"])
def test_evidence_is_scoped_like_its_measure(world, persona, unit):
    measure = world.measure_a if unit == "a" else world.measure_b
    uploader = world["liaison" if unit == "a" else "other"]
    evidence = actions.add_evidence(measure, by=uploader, title="会议纪要")
    if unit in SEES[persona]:
        assert access.get_evidence_for(world[persona], evidence.pk) == evidence
    else:
        with pytest.raises(NotFound):
            access.get_evidence_for(world[persona], evidence.pk)


@pytest.mark.parametrize("bad_id", [None, "", "abc", "1 OR 1=1", -1, 10**12])
def test_a_bad_id_is_not_found(world, bad_id):
    with pytest.raises(NotFound):
        access.get_measure_for(world["office"], bad_id)


def test_anonymous_users_see_nothing(world):
    anonymous = AnonymousUser()
    assert not access.inspections_for(anonymous).exists()
    assert not access.measures_for(anonymous).exists()
    with pytest.raises(NotFound):
        access.get_inspection_for(anonymous, world.inspection_a.pk)


def test_an_office_of_a_higher_region_sees_the_regions_below(world):
    Membership.objects.create(user=world["far_office"], role=Role.OFFICE, region=world.city)
    assert set(access.inspections_for(world["far_office"])) == {
        world.inspection_a,
        world.inspection_b,
    }


# Whether the persona may change measure_a (unit work or an office decision) and inspection A.
WRITES = {
    "office": (True, True),
    "group": (False, True),
    "leader": (True, True),
    "liaison": (True, True),
    "owner": (True, False),
    "other": (False, False),
    "observer": (False, False),
    "sysadmin": (False, False),
    "secadmin": (False, False),
    "auditadmin": (False, False),
    "far_office": (False, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_read_and_can_write_follow_the_roles(world, persona):
    user = world[persona]
    measure_ok, inspection_ok = WRITES[persona]
    assert access.can_read(user, world.measure_a) == ("a" in SEES[persona])
    assert access.can_write(user, world.measure_a) == measure_ok
    assert access.can_write(user, world.inspection_a) == inspection_ok


def test_an_owner_writes_only_the_measures_they_own(world):
    assert access.can_write(world["owner"], world.measure_a)
    assert not access.can_write(world["owner"], world.measure_a2)


def _add_measures(world, count: int) -> None:
    problem = world.measure_a.problem
    start = problem.measures.count() + 1
    Measure.objects.bulk_create(
        Measure(inspection=world.inspection_a, problem=problem, no=start + i, content=f"措施{i}")
        for i in range(count)
    )


@pytest.mark.parametrize("persona", ["office", "liaison", "group"])
def test_a_ledger_page_costs_the_same_queries_for_10_and_1000_measures(
    world, persona, django_assert_num_queries
):
    def render_rows() -> list[tuple[str, ...]]:
        return [
            (
                m.inspection.unit.name,
                m.inspection.round.name,
                m.problem.aspect.title,
                m.owner.username if m.owner else "",
            )
            for m in access.measures_for(world[persona])
        ]

    _add_measures(world, 8)
    with django_assert_num_queries(3 if persona == "office" else 2):
        render_rows()
    _add_measures(world, 990)
    with django_assert_num_queries(3 if persona == "office" else 2):
        render_rows()


def test_a_scope_is_resolved_once_per_request_and_afresh_outside(world, django_assert_num_queries):
    liaison = world["liaison"]
    with access.request_scope_cache():
        first = access.scope_of(liaison)
        with django_assert_num_queries(0):
            assert access.scope_of(liaison) is first
    # Outside a request, a membership granted now counts at once.
    Membership.objects.create(user=liaison, role=Role.LIAISON, unit=world.unit_b)
    assert world.unit_b.pk in access.scope_of(liaison).liaison_units

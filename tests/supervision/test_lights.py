"""Lights of a problem, an inspection and a unit: the worst of their measures."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tests.supervision.conftest import World
from zhenggai.ledger import access
from zhenggai.ledger.models import Inspection, Measure, MeasureStatus
from zhenggai.supervision.deadlines import GREEN, RED, YELLOW
from zhenggai.supervision.lights import (
    inspection_light,
    light_counts,
    lights_by,
    measure_light,
    problem_light,
    unit_light,
    with_light,
)

D = dt.date


def _status(measure: Measure, status: str) -> None:
    # Test set-up only: the statuses come from the actions in real life.
    Measure.objects.filter(pk=measure.pk).update(status=status)
    measure.refresh_from_db()


def test_a_measure_light_uses_its_inspection_feedback_date_for_behind_plan(world: World):
    assert measure_light(world.measure_a, D(2024, 2, 11)) == GREEN
    assert measure_light(world.measure_a, D(2024, 2, 12)) == YELLOW


def test_the_problem_inspection_and_unit_show_their_worst_measure(world: World):
    _status(world.measure_a, MeasureStatus.IN_PROGRESS)
    _status(world.measure_a2, MeasureStatus.CLOSED)
    a = world.inspection_a
    problem = world.measure_a.problem
    for day, expected in [(D(2024, 3, 23), GREEN), (D(2024, 3, 24), YELLOW), (D(2024, 4, 1), RED)]:
        assert problem_light(problem, day) == expected
        assert inspection_light(a, day) == expected
        assert unit_light(world.unit_a, day) == expected
    _status(world.measure_a, MeasureStatus.CLOSED)
    assert unit_light(world.unit_a, D(2024, 4, 1)) == GREEN


def test_one_red_measure_makes_its_unit_red_and_leaves_the_other_unit_alone(world: World):
    _status(world.measure_b, MeasureStatus.CLOSED)
    _status(world.measure_a2, MeasureStatus.CLOSED)
    lights = lights_by(Measure.objects.all(), "unit", D(2024, 4, 1))
    assert lights == {world.unit_a.pk: RED, world.unit_b.pk: GREEN}


def test_lights_by_reads_only_the_measures_it_is_given(world: World, django_assert_num_queries):
    measures = access.measures_for(world["other"])
    with django_assert_num_queries(1):
        lights = lights_by(measures, "inspection", D(2024, 4, 1))
    assert lights == {world.inspection_b.pk: RED}


DAYS = [D(2024, 2, 11), D(2024, 2, 12), D(2024, 3, 23), D(2024, 3, 24), D(2024, 3, 31)]


def test_the_sql_counts_agree_with_the_python_rule(world: World):
    _status(world.measure_a2, MeasureStatus.IN_PROGRESS)
    _status(world.measure_b, MeasureStatus.SUBMITTED)
    undated = Measure.objects.create(
        inspection=world.inspection_a, problem=world.measure_a.problem, no=3, content="无时限"
    )
    Inspection.objects.filter(pk=world.inspection_b.pk).update(feedback_date=None)
    measures = Measure.objects.select_related("inspection")
    for day in [*DAYS, D(2024, 4, 1)]:
        expected = Counter(measure_light(m, day) for m in measures)
        counts = light_counts(Measure.objects.all(), day)
        assert counts == {
            GREEN: expected[GREEN],
            YELLOW: expected[YELLOW],
            RED: expected[RED],
            "total": 4,
        }, day
        for colour in (YELLOW, RED):
            found = set(with_light(Measure.objects.all(), day, colour).values_list("pk", flat=True))
            assert found == {m.pk for m in measures if measure_light(m, day) == colour}, day
    assert undated.pk in {m.pk for m in measures}


def test_the_counts_take_one_query(world: World, django_assert_num_queries):
    with django_assert_num_queries(1):
        light_counts(Measure.objects.all(), D(2024, 2, 12))

"""Model rules: derived problem status, the region tree, constraints, migrations."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from zhenggai.ledger.models import (
    Evidence,
    EvidenceKind,
    Measure,
    MeasureStatus,
    Membership,
    Problem,
    ProblemStatus,
    Region,
    Role,
    derive_problem_status,
)

S = MeasureStatus


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], ProblemStatus.NOT_STARTED),
        ([S.NOT_STARTED, S.NOT_STARTED], ProblemStatus.NOT_STARTED),
        ([S.NOT_STARTED, S.IN_PROGRESS], ProblemStatus.IN_PROGRESS),
        ([S.RETURNED, S.CLOSED], ProblemStatus.IN_PROGRESS),
        ([S.SUBMITTED, S.CLOSED], ProblemStatus.SUBMITTED),
        ([S.PHASE_COMPLETE, S.CLOSED], ProblemStatus.PHASE_COMPLETE),
        ([S.CLOSED, S.CLOSED], ProblemStatus.CLOSED),
    ],
)
def test_a_problems_status_follows_from_its_measures(statuses, expected):
    assert derive_problem_status(statuses) == expected


def test_the_sql_annotation_agrees_with_the_python_rule_for_every_pair(world):
    problem = world.measure_a.problem
    for first, second in itertools.product(S.values, repeat=2):
        Measure.objects.filter(pk=world.measure_a.pk).update(status=first)
        Measure.objects.filter(pk=world.measure_a2.pk).update(status=second)
        annotated = Problem.objects.with_status().get(pk=problem.pk)
        assert annotated.derived_status == derive_problem_status([first, second]), (first, second)


def test_a_problem_without_measures_is_not_started(world):
    Measure.objects.filter(problem=world.measure_a.problem).delete()
    assert (
        Problem.objects.with_status().get(pk=world.measure_a.problem.pk).derived_status
        == "not_started"
    )


def test_descendants_of_a_region_include_every_level(world):
    street = Region.objects.create(name="北书店街道", parent=world.district)
    assert Region.with_descendants([world.city.pk]) == {
        world.city.pk,
        world.district.pk,
        world.far_district.pk,
        street.pk,
    }
    assert Region.with_descendants([world.far_district.pk]) == {world.far_district.pk}


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.OFFICE, "unit"),
        (Role.LIAISON, "region"),
        (Role.GROUP, "unit"),
        (Role.SYSADMIN, "region"),
    ],
)
def test_a_membership_must_have_the_scope_its_role_needs(world, role, scope):
    values = {"region": world.district, "unit": world.unit_a}
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=world["office"], role=role, **{scope: values[scope]})


def test_evidence_is_either_a_checksummed_file_or_a_titled_reference(world):
    with pytest.raises(IntegrityError):
        Evidence.objects.create(
            measure=world.measure_a, kind=EvidenceKind.REFERENCE, uploaded_by=world["liaison"]
        )


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)

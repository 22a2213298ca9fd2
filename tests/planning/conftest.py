"""The ledger's personas (``tests/ledger/conftest.py``), and unit A's plan made complete."""

from __future__ import annotations

import pytest

from tests.ledger.conftest import PERSONAS, World, submit, world
from zhenggai.ledger.models import Measure

__all__ = ["PERSONAS", "World", "complete", "submit", "world"]


@pytest.fixture
def complete(world: World) -> World:
    """Unit A's two measures with everything the plan needs (set as fixture data)."""
    Measure.objects.filter(inspection=world.inspection_a).update(
        responsible_leader="王书记",
        responsible_department="办公室",
        responsible_person="李主任",
        completion_standard="形成学习制度并印发",
    )
    return world

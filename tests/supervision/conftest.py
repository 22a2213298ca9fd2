"""The ledger's personas (``tests/ledger/conftest.py``), with e-mail addresses, and a clock.

In the world, feedback was on 2023-12-26 (plan due 2024-01-26, reports 2024-02-26) and every
measure is due on 2024-03-31: ``measure_a`` (owner: ``owner``) and ``measure_a2`` (no owner) in
unit A, whose liaison is ``liaison``; ``measure_b`` in unit B, whose liaison is ``other``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.ledger.conftest import PERSONAS, World, submit, world
from zhenggai.ledger.models import User

__all__ = ["PERSONAS", "World", "at", "mailed_world", "submit", "world"]

SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def at(day: dt.date, hour: int = 8) -> Iterator[None]:
    """Stand still at ``hour`` o'clock in Shanghai on ``day``."""
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def mailed_world(world: World) -> World:
    """The world, where every persona has an e-mail address."""
    for name, user in world.users.items():
        user.email = f"{name}@example.gov.cn"
        user.save(update_fields=["email"])
    return world


Clock = Callable[[dt.date], None]


def email_of(user: User) -> str:
    return str(user.email)

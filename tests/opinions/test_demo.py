"""``zhenggai demo`` publishes the seed's notice and holds opinions in each state, once."""

from __future__ import annotations

import pytest
from django.test import Client

from zhenggai.ledger import demo
from zhenggai.opinions import demo as opinions_demo
from zhenggai.opinions.models import Opinion, OpinionStatus


@pytest.mark.django_db
def test_the_demo_publishes_and_holds_opinions_in_each_state() -> None:
    result = demo.populate("Demo-Passw0rd-2024")
    path = opinions_demo.populate(result.inspection_id)
    assert path is not None and Client().get(path).status_code == 200
    assert set(Opinion.objects.values_list("status", flat=True)) == set(OpinionStatus.values)
    assert opinions_demo.populate(result.inspection_id) == path
    assert Opinion.objects.count() == len(opinions_demo.SAMPLES)

"""Opinions on the ledger's personas: ``filled`` (contacts, a confidential problem) published by
the leader, so that the public has a notice to write on."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import PERSONAS, World, world
from tests.reports.conftest import SECRET, filled
from zhenggai.ledger.models import Inspection
from zhenggai.public import publishing
from zhenggai.public.models import Publication

__all__ = ["PERSONAS", "SECRET", "World", "filled", "world"]


@pytest.fixture
def published(world: World, filled: Inspection) -> Publication:
    return publishing.publish(filled, by=world["leader"])


def captcha_answer(page: str) -> dict[str, str]:
    """The captcha fields of a rendered form, answered as a person reading the image would."""
    key = page.split('name="captcha_0" value="', 1)[1].split('"', 1)[0]
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def post_opinion(
    client: Client, publication: Publication, address: str = "10.0.0.7", **fields: object
) -> tuple[int, str]:
    url = reverse("public:opinion", kwargs={"slug": publication.slug})
    form = client.get(url, REMOTE_ADDR=address).content.decode()
    data = {
        "name": "",
        "contact": "13800000000",
        "text": "会议纪要没有公开",
        **captcha_answer(form),
    }
    data.update(fields)  # type: ignore[arg-type]
    response = client.post(url, data, REMOTE_ADDR=address)
    return response.status_code, response.content.decode()


def code_of(page: str) -> str:
    return page.split('id="tracking-code">', 1)[1].split("<", 1)[0]

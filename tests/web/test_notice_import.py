"""Importing a notice from the screens: upload → preview → confirm, all or nothing."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.ledger.conftest import World
from zhenggai.ledger.models import AuditEvent, Inspection, Measure
from zhenggai.notice import parse

SEED = resources.files("zhenggai.ledger").joinpath("demo_data/longting-kexie-2024.txt")
IMPORT_URL = reverse("web:notice_import")
CONFIRM_URL = reverse("web:notice_import_confirm")


def _as(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world[persona])
    return client


def _upload(world: World, client: Client, name: str, data: bytes) -> Any:
    form = {"unit": world.unit_a.pk, "round": world.round.pk, "group": world.group.pk}
    return client.post(IMPORT_URL, {**form, "file": SimpleUploadedFile(name, data)})


def _token(response: Any) -> str:
    return str(response.context["token"])


@pytest.fixture
def seed() -> bytes:
    return SEED.read_bytes()


def test_the_office_previews_then_confirms_the_seed(world: World, seed: bytes) -> None:
    office = _as(world, "office")
    before = Inspection.objects.count()
    preview = _upload(world, office, "通报.txt", seed)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "确认导入" in page
    assert (preview.context["preview"].aspects, preview.context["preview"].problems) == (4, 11)
    assert preview.context["preview"].measures == 31
    assert Inspection.objects.count() == before  # the preview writes nothing
    done = office.post(CONFIRM_URL, {"token": _token(preview)}, follow=True)
    inspection = Inspection.objects.exclude(pk__in=[world.inspection_a.pk, world.inspection_b.pk])
    created = inspection.get()
    assert done.redirect_chain[-1][0] == reverse("web:inspection", kwargs={"pk": created.pk})
    assert "已导入整改通报" in done.content.decode()
    assert Measure.objects.filter(inspection=created).count() == 31
    assert AuditEvent.objects.filter(action="inspection.import", actor=world["office"]).exists()


def test_the_preview_shows_header_tree_and_warnings(world: World, seed: bytes) -> None:
    page = _upload(world, _as(world, "group"), "通报.txt", seed).content.decode()
    first_measure = parse(seed.decode("utf-8")).measures()[0].text
    assert first_measure[:20] in page
    assert "巡察时间" in page
    assert "区科协在十四届区委第五轮巡察中已有巡察记录" in page  # a warning


def test_a_parsed_notice_json_imports_the_same_way(world: World, seed: bytes) -> None:
    office = _as(world, "office")
    notice_json = parse(seed.decode("utf-8")).to_json().encode()
    preview = _upload(world, office, "反馈问题清单.json", notice_json)
    assert preview.context["preview"].measures == 31
    office.post(CONFIRM_URL, {"token": _token(preview)})
    assert Inspection.objects.count() == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("通报.pdf", b"%PDF-1.4 broken", "“通报.pdf”"),
        ("通报.txt", b"   ", "文件是空的"),
        ("清单.json", b"{not json", "不是有效的 JSON 文件"),
        ("清单.json", b'{"schema": "other"}', "不是整改通报的解析结果"),
    ],
)
def test_a_bad_file_shows_the_form_with_a_chinese_message(
    world: World, name: str, data: bytes, message: str
) -> None:
    response = _upload(world, _as(world, "office"), name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert Inspection.objects.count() == 2


def test_confirm_without_a_preview_writes_nothing(world: World) -> None:
    response = _as(world, "office").post(CONFIRM_URL, {"token": "forged"}, follow=True)
    assert "导入内容已过期" in response.content.decode()
    assert Inspection.objects.count() == 2


def test_confirming_twice_imports_once(world: World, seed: bytes) -> None:
    office = _as(world, "office")
    token = _token(_upload(world, office, "通报.txt", seed))
    office.post(CONFIRM_URL, {"token": token})
    again = office.post(CONFIRM_URL, {"token": token}, follow=True)
    assert "导入内容已过期" in again.content.decode()
    assert Inspection.objects.count() == 3


def test_the_choices_are_what_the_user_may_create(world: World) -> None:
    form = _as(world, "far_office").get(IMPORT_URL).context["form"]
    assert list(form.fields["unit"].queryset) == []
    assert list(form.fields["round"].queryset) == []
    office_form = _as(world, "office").get(IMPORT_URL).context["form"]
    assert set(office_form.fields["unit"].queryset) == {world.unit_a, world.unit_b}
    assert list(office_form.fields["group"].queryset) == [world.group]


def test_a_unit_outside_the_choices_is_refused(world: World, seed: bytes) -> None:
    response = _upload(world, _as(world, "far_office"), "通报.txt", seed)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert Inspection.objects.count() == 2


def test_the_unit_side_may_not_import(world: World) -> None:
    assert _as(world, "liaison").get(IMPORT_URL).status_code == 403

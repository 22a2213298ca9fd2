"""Fixtures for the document tests: the ledger's personas (imported, not invented again), an
inspection with a confidential problem, evidence and an overdue measure, and the seed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.ledger.conftest import PERSONAS, World, submit, world
from zhenggai.ledger.models import Evidence, EvidenceKind, Inspection, Measure, Problem
from zhenggai.notice import Notice, parse, read

__all__ = ["PERSONAS", "World", "submit", "world"]

SEED = Path("/work/shared/seed/longting-kexie-2024.txt")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SECRET = "某干部违规收受礼金问题线索正在核查"


@pytest.fixture(scope="session")
def seed_notice() -> Notice:
    if not SEED.exists():  # the seed lives in the shared folder, next to the repository
        pytest.skip(f"seed not found: {SEED}")
    return parse(read(SEED))


def docx_part(data: bytes, name: str = "word/document.xml") -> etree._Element:
    """One XML part of a .docx, parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def docx_bytes(doc: object) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture
def filled(world: World) -> Inspection:
    """Unit A's inspection with progress, contacts, a rule made, evidence, an overdue measure
    (measure_a2, due 2024-03-31) and a confidential problem with a measure."""
    inspection = world.inspection_a
    inspection.issuer = "中共开封市龙亭区科协党组"
    inspection.contacts = {"phones": ["0371-22786227"], "emails": ["kfsltqkx@163.com"]}
    inspection.save()
    Measure.objects.filter(pk=world.measure_a.pk).update(
        status="closed",
        progress="2024年1月8日制定《龙亭区科学技术协会请销假制度》并严格执行。",
        responsible_leader="党组书记 张明",
        responsible_department="办公室",
    )
    secret = Problem.objects.create(
        aspect=world.measure_a.problem.aspect, no=2, title=SECRET, confidential=True
    )
    Measure.objects.create(
        inspection=inspection, problem=secret, no=1, content="配合纪检机关核查", deadline=None
    )
    _evidence(world, world.measure_a, "党组会议纪要", "科协纪〔2024〕1号", dt.date(2024, 1, 8))
    _evidence(world, world.measure_a2, "", "", dt.date(2023, 12, 27), name="IMG_0001.jpg")
    return inspection


def _evidence(
    world: World, measure: Measure, title: str, number: str, day: dt.date, *, name: str = ""
) -> Evidence:
    kind = EvidenceKind.FILE if name else EvidenceKind.REFERENCE
    return Evidence.objects.create(
        measure=measure,
        kind=kind,
        title=title,
        doc_number=number,
        date=day,
        pages=3,
        original_name=name,
        sha256="ab" * 32 if name else "",
        size=1024 if name else None,
        uploaded_by=world["liaison"],
    )

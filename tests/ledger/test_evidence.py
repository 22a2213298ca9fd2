"""Evidence: files with their checksum, references by 题名/文号, and what happens on failure."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenggai.ledger import actions
from zhenggai.ledger.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from zhenggai.ledger.models import AuditEvent, Evidence, EvidenceKind

CONTENT = b"%PDF-1.4\n" + "龙亭区科协党组会议纪要（2024年第1次）".encode()


def upload(name="会议纪要.pdf", content=CONTENT, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_file_is_stored_under_its_checksum_with_size_type_and_name(world):
    evidence = actions.add_evidence(world.measure_a, by=world["owner"], file=upload())
    digest = hashlib.sha256(CONTENT).hexdigest()
    assert evidence.kind == EvidenceKind.FILE
    assert (evidence.sha256, evidence.size) == (digest, len(CONTENT))
    assert (evidence.content_type, evidence.original_name) == ("application/pdf", "会议纪要.pdf")
    assert evidence.file.name == f"evidence/{digest[:2]}/{digest}.pdf"
    assert Path(evidence.file.path).read_bytes() == CONTENT
    assert Path(evidence.file.path).is_relative_to(settings.MEDIA_ROOT)
    assert AuditEvent.objects.get(action="evidence.add").after["sha256"] == digest


def test_a_reference_records_the_document_without_a_file(world):
    evidence = actions.add_evidence(
        world.measure_a,
        by=world["liaison"],
        title="关于加强理论学习的通知",
        doc_number="汴科协文〔2024〕6号",
        date=dt.date(2024, 1, 19),
        pages=3,
    )
    assert (evidence.kind, evidence.doc_number, evidence.pages) == (
        EvidenceKind.REFERENCE,
        "汴科协文〔2024〕6号",
        3,
    )


def test_a_reference_needs_a_title_and_a_file_needs_content(world):
    with pytest.raises(ValidationError):
        actions.add_evidence(world.measure_a, by=world["liaison"], doc_number="汴科协文〔2024〕6号")
    with pytest.raises(ValidationError):
        actions.add_evidence(world.measure_a, by=world["liaison"], file=upload(content=b""))
    assert not Evidence.objects.exists()


def test_a_refused_upload_leaves_no_file_behind(world):
    before = stored_files()
    with pytest.raises(NotFound):
        actions.add_evidence(world.measure_a, by=world["other"], file=upload(name="x.pdf"))
    with pytest.raises(PermissionDenied):
        actions.add_evidence(world.measure_a, by=world["observer"], file=upload(name="y.pdf"))
    assert stored_files() == before
    assert not Evidence.objects.exists()


def test_unfrozen_evidence_is_removed_with_its_file_once_committed(
    world, django_capture_on_commit_callbacks
):
    evidence = actions.add_evidence(world.measure_a, by=world["owner"], file=upload(name="z.pdf"))
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_evidence(evidence, by=world["owner"])
    assert not Evidence.objects.exists()
    assert not path.exists()
    event = AuditEvent.objects.get(action="evidence.remove")
    assert event.before["original_name"] == "z.pdf" and event.after is None


def test_an_owner_cannot_touch_the_evidence_of_a_measure_they_do_not_own(world):
    with pytest.raises(PermissionDenied):
        actions.add_evidence(world.measure_a2, by=world["owner"], title="会议纪要")


def test_evidence_of_a_submitted_measure_is_frozen(world, submit):
    measure = submit()
    with pytest.raises(InvalidTransition):
        actions.remove_evidence(measure.evidence.get(), by=world["liaison"])

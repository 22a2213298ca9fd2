"""Retention by archiving: events older than the retention period go to a signed file."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zhenggai.ledger import actions, archive, audit
from zhenggai.ledger.models import AuditEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.audit_chain_tampered]


@pytest.fixture(autouse=True)
def archive_dir(settings, tmp_path):
    settings.ZHENGGAI_AUDIT_ARCHIVE_DIR = tmp_path / "audit_archive"
    return settings.ZHENGGAI_AUDIT_ARCHIVE_DIR


def in_days(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_events_past_retention_are_archived_signed_and_kept_in_the_database(world, submit):
    submit()
    segment = archive.archive_older_than(now=in_days(366))
    assert segment is not None and segment.count == 3
    assert stat.S_IMODE(os.stat(segment.path).st_mode) == 0o600
    lines = gzip.decompress(segment.path.read_bytes()).decode().splitlines()
    assert len(lines) == 1 + 3 + 1  # header, events, signature
    assert archive.verify_segment(segment.path) == ""
    assert AuditEvent.objects.count() == 3 and audit.verify_audit_chain().ok


def test_events_within_retention_stay_out_and_nothing_is_archived_twice(world, submit):
    submit()
    assert archive.archive_older_than(now=in_days(364)) is None
    first = archive.archive_older_than(now=in_days(366))
    actions.start_work(world.measure_a2, by=world["liaison"])
    second = archive.archive_older_than(now=in_days(366))
    assert first is not None and second is not None
    assert (second.first_id, second.count) == (first.last_id + 1, 1)
    assert archive.archive_older_than(now=in_days(366)) is None


def test_the_next_segment_continues_the_chain_from_the_previous_one(world, submit):
    submit()
    first = archive.archive_older_than(now=in_days(366))
    actions.start_work(world.measure_a2, by=world["liaison"])
    second = archive.archive_older_than(now=in_days(366))
    header = gzip.decompress(second.path.read_bytes()).splitlines()[0]
    last_of_first = AuditEvent.objects.get(pk=first.last_id).hash
    assert f'"prev_hash":"{last_of_first}"'.encode() in header
    assert b'"first_position":4' in header


def test_a_changed_archive_file_fails_verification(world, submit):
    submit()
    segment = archive.archive_older_than(now=in_days(366))
    text = gzip.decompress(segment.path.read_bytes()).decode()
    segment.path.write_bytes(gzip.compress(text.replace("liaison", "someone").encode()))
    assert "签名不符" in archive.verify_segment(segment.path)
    with pytest.raises(CommandError, match="校验失败"):
        call_command("archive_audit", "--verify", str(segment.path))


def test_the_command_archives_records_its_own_event_and_verifies(world, submit, monkeypatch):
    submit()
    out = io.StringIO()
    call_command("archive_audit", stdout=out)
    assert "没有需要归档" in out.getvalue()
    real = archive.archive_older_than
    monkeypatch.setattr(archive, "archive_older_than", lambda: real(now=in_days(366)))
    call_command("archive_audit", stdout=out)
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.after["count"]) == ("export.audit_archive", 3)
    [path] = archive._segment_files()
    call_command("archive_audit", "--verify", str(path), stdout=out)
    assert "归档文件完整" in out.getvalue()
    assert audit.verify_audit_chain().ok

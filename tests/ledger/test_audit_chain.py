"""The attacks on the audit chain (issue 11, finding 5): each one is detected by verify.

The attacker can change the database behind the system's back (raw SQL: the base
``QuerySet`` methods skip the model's refusals) but has neither the audit key nor write access
to the anchor file, unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import QuerySet

from zhenggai.ledger import actions, anchor, audit
from zhenggai.ledger.models import AuditChainHead, AuditEvent

# Real commits: the anchor file is written after each commit.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.audit_chain_tampered]


@pytest.fixture
def chain(world, submit) -> list[AuditEvent]:
    """Five committed events (start, evidence, submit, close out, reopen)."""
    measure = submit()
    actions.verify_and_close_out(measure, by=world["office"])
    actions.reopen(measure, by=world["office"], reason="反弹")
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) == 5 and audit.verify_audit_chain().ok
    return events


def move_head(to: AuditEvent | None, length: int) -> None:
    QuerySet.update(
        AuditChainHead.objects.all(), last_hash=to.hash if to else audit.GENESIS, length=length
    )


def rewrite(event: AuditEvent, prev_hash: str, sign) -> str:
    """Store ``event`` (already changed in memory) with its link and hash recomputed."""
    event.prev_hash = prev_hash
    event.hash = sign(event)
    QuerySet.update(
        AuditEvent.objects.filter(pk=event.pk),
        **{f: getattr(event, f) for f in (*audit.HASHED_FIELDS, "prev_hash", "hash", "key_id")},
    )
    return event.hash


def forge_from(events: list[AuditEvent], index: int, sign) -> None:
    """Change one event's detail and recompute every hash from it on, head included."""
    events[index].detail = "伪造的内容"
    prev = events[index - 1].hash if index else audit.GENESIS
    for event in events[index:]:
        prev = rewrite(event, prev, sign)
    move_head(events[-1], len(events))


def plain_sha256(event: AuditEvent) -> str:
    event.key_id = ""
    return hashlib.sha256(audit.canonical(event)).hexdigest()


def guessed_key(event: AuditEvent) -> str:
    return hmac.new(b"guessed", audit.canonical(event), hashlib.sha256).hexdigest()


def the_real_key(event: AuditEvent) -> str:
    return audit.compute_hash(event) or ""


def test_every_event_is_signed_and_anchored_outside_the_database(chain):
    assert {e.key_id for e in chain} == {audit.key_id(audit.current_key())}
    lines = anchor.path().read_text(encoding="ascii").splitlines()
    # The measure's events join its region's chain; the anchor names it before the position.
    assert {e.chain for e in chain} == {f"region-{chain[0].chain.split('-')[1]}"}
    assert [line.split(" ")[:2] for line in lines] == [
        [f"{e.chain}:{i}", e.hash] for i, e in enumerate(chain, start=1)
    ]
    assert audit.verify_audit_chain().anchored == 5


def test_deleting_the_newest_rows_and_moving_the_head_back_is_detected(chain):
    QuerySet.delete(AuditEvent.objects.filter(pk__in=[chain[-1].pk, chain[-2].pk]))
    move_head(chain[-3], 3)
    report = audit.verify_audit_chain()
    assert not report.ok and "最新的记录被删除" in report.problem


def test_deleting_the_head_row_with_the_newest_rows_is_detected(chain):
    QuerySet.delete(AuditEvent.objects.filter(pk=chain[-1].pk))
    QuerySet.delete(AuditChainHead.objects.all())
    report = audit.verify_audit_chain()
    assert not report.ok and "最新的记录被删除" in report.problem


def test_deleting_every_row_is_detected(chain):
    QuerySet.delete(AuditEvent.objects.all())
    move_head(None, 0)
    assert not audit.verify_audit_chain().ok


@pytest.mark.parametrize("sign", [plain_sha256, guessed_key])
def test_a_forged_row_with_the_later_hashes_recomputed_without_the_key_is_detected(chain, sign):
    forge_from(chain, 2, sign)
    report = audit.verify_audit_chain()
    assert not report.ok and report.bad_event_id == chain[2].pk


def test_a_chain_rewritten_entirely_without_the_key_is_detected_by_the_anchor(chain):
    forge_from(chain, 0, plain_sha256)
    report = audit.verify_audit_chain()
    assert not report.ok and "锚点" in report.problem


def test_even_with_the_key_a_rewritten_row_does_not_match_the_anchor(chain):
    forge_from(chain, 3, the_real_key)
    report = audit.verify_audit_chain()
    assert (report.ok, report.bad_event_id) == (False, chain[3].pk)
    assert "锚点" in report.problem


def test_an_edited_or_deleted_anchor_file_is_detected(chain):
    path = anchor.path()
    lines = path.read_text(encoding="ascii").splitlines()
    lines[2] = "9" + lines[2][1:]  # claim a longer chain than there was
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    assert "锚点文件第 3 行被篡改" in audit.verify_audit_chain().problem
    path.unlink()
    assert "锚点文件缺失" in audit.verify_audit_chain().problem


def test_a_chain_dumped_and_loaded_again_still_verifies(chain, tmp_path):
    dump = tmp_path / "audit.json"
    call_command("dumpdata", "ledger.AuditEvent", "ledger.AuditChainHead", output=str(dump))
    QuerySet.delete(AuditEvent.objects.all())
    QuerySet.delete(AuditChainHead.objects.all())
    call_command("loaddata", str(dump), stdout=io.StringIO())
    assert AuditEvent.objects.count() == 5
    assert audit.verify_audit_chain().ok


def test_events_are_timed_to_the_millisecond_that_dumpdata_keeps(chain):
    assert all(e.at.microsecond % 1000 == 0 for e in chain)


def legacy_event(prev_hash: str, at: dt.datetime, action: str) -> AuditEvent:
    """An event as written before the chain had a key: plain SHA-256, microseconds."""
    event = AuditEvent(actor_label="old", at=at, action=action, prev_hash=prev_hash)
    event.hash = hashlib.sha256(audit.canonical(event)).hexdigest()
    return event


def test_a_chain_begun_before_the_key_still_verifies_and_continues_signed(world):
    at = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.UTC)
    first = legacy_event(audit.GENESIS, at, "measure.update")
    second = legacy_event(first.hash, at + dt.timedelta(seconds=1), "measure.update")
    with transaction.atomic():
        for event in (first, second):
            event.save(force_insert=True)
        AuditChainHead.objects.create(pk=1, last_hash=second.hash, length=2)
    actions.start_work(world.measure_a, by=world["liaison"])
    report = audit.verify_audit_chain()
    assert (report.ok, report.checked, report.anchored) == (True, 3, 1)
    assert AuditEvent.objects.order_by("id").last().key_id


def test_the_key_is_kept_outside_the_database_readable_by_the_owner_only():
    path = Path(settings.DATA_DIR) / "audit_key"
    assert path.read_text(encoding="ascii").strip() == settings.ZHENGGAI_AUDIT_KEY
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_chain_cut_back_and_written_on_by_the_application_is_detected(world, chain):
    QuerySet.delete(AuditEvent.objects.filter(pk__in=[chain[-1].pk, chain[-2].pk]))
    QuerySet.delete(AuditChainHead.objects.all())
    actions.start_work(world.measure_a2, by=world["liaison"])  # the head is rebuilt from 3 rows
    report = audit.verify_audit_chain()
    assert not report.ok and "截断" in report.problem


# --- key rotation ------------------------------------------------------------------------------


def _rotate(settings, tmp_path: Path, *, keep_old: bool) -> None:
    """The rotation of docs/operations.md: the old key moves to the retired-keys file."""
    retired = tmp_path / "audit_keys_retired"
    retired.write_text(f"{settings.ZHENGGAI_AUDIT_KEY}\n" if keep_old else "", encoding="ascii")
    settings.ZHENGGAI_AUDIT_RETIRED_KEYS_FILE = retired
    settings.ZHENGGAI_AUDIT_KEY = "a-new-audit-key-after-rotation"


def test_after_a_rotation_old_and_new_records_verify(world, chain, settings, tmp_path):
    old_id = chain[0].key_id
    _rotate(settings, tmp_path, keep_old=True)
    actions.start_work(world.measure_a2, by=world["liaison"])
    newest = AuditEvent.objects.order_by("-id").first()
    assert newest is not None and newest.key_id not in ("", old_id)
    report = audit.verify_audit_chain()
    assert report.ok, report.problem
    assert report.checked == len(chain) + 1


def test_a_rotation_that_drops_the_old_key_fails_verification(world, chain, settings, tmp_path):
    _rotate(settings, tmp_path, keep_old=False)
    report = audit.verify_audit_chain()
    assert not report.ok
    assert "签名密钥" in report.problem or "锚点" in report.problem


def test_a_retired_key_signs_nothing_new(world, chain, settings, tmp_path):
    _rotate(settings, tmp_path, keep_old=True)
    actions.start_work(world.measure_a2, by=world["liaison"])
    newest = AuditEvent.objects.order_by("-id").first()
    assert newest is not None
    assert newest.key_id == audit.key_id(b"a-new-audit-key-after-rotation")
    last_line = anchor.path().read_text(encoding="ascii").splitlines()[-1]
    assert last_line.split(" ")[2] == newest.key_id

"""The audit trail: append one hash-chained event per write, and verify the chain.

Each event's ``hash`` is SHA-256 over the canonical JSON of its content plus the previous
event's hash, so changing or removing any row breaks every link after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from zhenggai.ledger.models import AuditChainHead, AuditEvent, User

GENESIS = "0" * 64

# The fields covered by the hash, in the order they are listed in the canonical JSON's keys.
HASHED_FIELDS = (
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "before",
    "after",
    "success",
    "detail",
)


def snapshot(instance: models.Model, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The instance's concrete fields as JSON values (foreign keys by id), for audit and
    decisions. Values round-trip through JSON unchanged, which keeps the hash stable."""
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is None or field.name in fields:
            out[field.attname] = _json_value(getattr(instance, field.attname))
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def canonical(event: AuditEvent) -> bytes:
    """The bytes that are hashed: sorted keys, no whitespace, UTC time, UTF-8."""
    data: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    data["at"] = event.at.astimezone(dt.UTC).isoformat()
    data["prev_hash"] = event.prev_hash
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    success: bool = True,
    detail: str = "",
    actor_label: str | None = None,
) -> AuditEvent:
    """Append an event. Call it inside the transaction that makes the change it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    user = actor if isinstance(actor, User) else None
    event = AuditEvent(
        actor=user,
        actor_label=(actor_label if actor_label is not None else _label(user))[:150],
        at=timezone.now(),
        action=action,
        before=_round_trip(before),
        after=_round_trip(after),
        success=success,
        detail=detail,
    )
    if target is not None:
        event.target_type = target._meta.model_name or ""
        event.target_id = str(target.pk)
        event.target_label = str(target)[:300]
    _append(event)
    return event


def _label(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def _round_trip(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Hash exactly what the database will give back (tuples become lists, and so on).
    return None if value is None else json.loads(json.dumps(value, default=_json_value))


def _append(event: AuditEvent) -> None:
    head = _locked_head()
    event.prev_hash = head.last_hash
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.length += 1
    head.save(update_fields=["last_hash", "length"])


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First event ever (or the head row was lost): start from whatever chain exists.
    last = AuditEvent.objects.order_by("-id").first()
    AuditChainHead.objects.get_or_create(
        pk=1,
        defaults={
            "last_hash": last.hash if last else GENESIS,
            "length": AuditEvent.objects.count(),
        },
    )
    return AuditChainHead.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    bad_event_id: int | None = None
    problem: str = ""


def verify_audit_chain(chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from the first event; report the first event whose link is broken."""
    expected_prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if event.prev_hash != expected_prev:
            return ChainReport(False, checked, event.pk, "前后记录不连续（有记录被删除或插入）")
        if compute_hash(event) != event.hash:
            return ChainReport(False, checked, event.pk, "记录内容与哈希不符（记录被篡改）")
        expected_prev = event.hash
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.length != checked):
        return ChainReport(False, checked, None, "最新的记录缺失（链尾被删除）")
    return ChainReport(True, checked)

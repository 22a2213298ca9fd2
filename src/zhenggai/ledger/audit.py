"""The audit trail: append one hash-chained event per write, and verify the chain.

Each event's ``hash`` is HMAC-SHA256, under a key kept outside the database
(``settings.ZHENGGAI_AUDIT_KEY``), over the canonical JSON of its content plus the previous
event's hash: changing or removing any row breaks every link after it, and without the key
nobody can recompute the links. After each commit the new chain position and hash are also
appended, signed, to an anchor file outside the database (``zhenggai.ledger.anchor``), so that
removing the newest rows — or rewriting the chain with the key — no longer matches the anchor.

Rows written before the chain had a key (``key_id`` empty) keep their plain SHA-256 hash and
still verify; a keyless row after a signed one is a forgery.

Time is hashed to the millisecond (and stored so): ``dumpdata`` writes milliseconds, so a
chain dumped and loaded again still verifies.

There is one chain per region (``region-<id>``, the region of the unit the target belongs
to) and a ``global`` one for events of no region (logins, accounts, backups, and every row
written before the chains were split): writers of different regions lock different head rows
and do not queue behind each other. Each chain verifies alone (``verify_audit_chain(chain=…)``)
and all of them together; a row's chain name is covered by its hash (except on ``global``
rows, whose form predates it), so moving a row to another chain breaks it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from zhenggai.ledger import anchor
from zhenggai.ledger.models import AuditChainHead, AuditEvent, Region, User

GENESIS = "0" * 64
GLOBAL_CHAIN = anchor.GLOBAL_CHAIN

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


# The keys live beside the anchor they also sign (``anchor.current_key`` and friends).
current_key = anchor.current_key
key_id = anchor.key_id
_key_for = anchor.key_named


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
    """The bytes that are hashed: sorted keys, no whitespace, UTC time, UTF-8.

    Signed rows name their key and carry time to the millisecond; keyless (older) rows keep
    the form they were written in."""
    data: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    at = event.at.astimezone(dt.UTC)
    if event.key_id:
        data["at"] = at.isoformat(timespec="milliseconds")
        data["key_id"] = event.key_id
    else:
        data["at"] = at.isoformat()
    data["prev_hash"] = event.prev_hash
    if event.chain and event.chain != GLOBAL_CHAIN:
        data["chain"] = event.chain
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str | None:
    """The event's hash, or None when it was signed with a key this installation lacks."""
    if not event.key_id:
        return hashlib.sha256(canonical(event)).hexdigest()
    key = _key_for(event.key_id)
    if key is None:
        return None
    return hmac.new(key, canonical(event), hashlib.sha256).hexdigest()


def _now_to_the_millisecond() -> dt.datetime:
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


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
        at=_now_to_the_millisecond(),
        key_id=key_id(current_key()),
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
    event.chain = chain_of(target)
    _append(event)
    return event


# --- which chain an event joins --------------------------------------------------------------

# The foreign keys followed from a target towards its region, nearest first.
_TOWARDS_REGION = ("region", "unit", "inspection", "measure", "problem", "aspect", "round")


def chain_of(target: models.Model | None) -> str:
    """The chain of an event on ``target``: its region's, else the global one. Uses the
    relations already loaded on the target; one query when some link is not loaded."""
    if isinstance(target, Region):
        return f"region-{target.pk}"
    # ``_meta.model``, not ``type``: the target may be a lazy object (``request.user``).
    model = target._meta.model if target is not None else None
    path = _region_path(model) if model is not None else None
    if target is None or model is None or path is None:
        return GLOBAL_CHAIN
    region_id = _follow_loaded(target, path)
    if region_id is _NOT_LOADED:
        region_id = (
            model._base_manager.filter(pk=target.pk).values_list("__".join(path), flat=True).first()
        )
    return f"region-{region_id}" if region_id else GLOBAL_CHAIN


_NOT_LOADED = object()


def _follow_loaded(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path[:-1]:
        field = obj._meta.get_field(name)
        if not field.is_cached(obj):
            return _NOT_LOADED
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, path[-1])


@functools.cache
def _region_path(model: type[models.Model], depth: int = 0) -> tuple[str, ...] | None:
    """The foreign keys from ``model`` to a region id, e.g. ("inspection", "unit",
    "region_id"); None for models that belong to no region (users, settings)."""
    if depth > 5:
        return None
    for name in _TOWARDS_REGION:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.many_to_one:
            continue
        related = field.related_model
        if related is Region:
            return (field.attname,)
        rest = _region_path(related, depth + 1)
        if rest is not None:
            return (name, *rest)
    return None


def _label(user: User | None) -> str:
    return user.get_username() if user is not None else ""


def _round_trip(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Hash exactly what the database will give back (tuples become lists, and so on).
    return None if value is None else json.loads(json.dumps(value, default=_json_value))


def _append(event: AuditEvent) -> None:
    head = _locked_head(event.chain)
    event.prev_hash = head.last_hash
    event.hash = compute_hash(event) or ""
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.length += 1
    head.save(update_fields=["last_hash", "length"])
    # Only what was committed is anchored: a rolled-back event must not appear outside.
    transaction.on_commit(
        partial(anchor.append, head.length, event.hash, event.key_id, chain=event.chain)
    )


def _locked_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(name=chain).first()
    if head is not None:
        return head
    # First event of the chain (or its head row was lost): start from whatever it holds.
    events = AuditEvent.objects.filter(chain=chain)
    last = events.order_by("-id").first()
    try:
        # A savepoint: another writer may create the same head first (unique name).
        with transaction.atomic():
            AuditChainHead.objects.get_or_create(
                name=chain,
                defaults={"last_hash": last.hash if last else GENESIS, "length": events.count()},
            )
    except IntegrityError:
        pass
    return AuditChainHead.objects.select_for_update().get(name=chain)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    bad_event_id: int | None = None
    problem: str = ""
    anchored: int = 0
    chains: int = 0


def verify_audit_chain(chunk_size: int = 2000, chain: str | None = None) -> ChainReport:
    """Walk every chain (or the one named) from its first event; report the first event whose
    link is broken, and whether each chain still holds every position and hash the anchor
    file recorded for it. ``checked`` and ``anchored`` count over the chains walked."""
    anchors = anchor.read()
    if anchors.problem:
        return ChainReport(False, 0, None, anchors.problem)
    walks: dict[str, _Walk] = {}
    events = AuditEvent.objects.order_by("id")
    if chain is not None:
        events = events.filter(chain=chain)
    for event in events.iterator(chunk_size=chunk_size):
        walk = walks.get(event.chain)
        if walk is None:
            walk = walks[event.chain] = _Walk(anchors.of(event.chain))
        problem = walk.step(event)
        if problem:
            return ChainReport(False, _checked(walks), event.pk, problem)
    return _report_end(walks, anchors, chain)


def _checked(walks: dict[str, _Walk]) -> int:
    return sum(walk.checked for walk in walks.values())


class _Walk:
    """The state of the walk along the chain: position, previous hash, whether keyed yet."""

    def __init__(self, anchored: dict[int, str]) -> None:
        self.anchored = anchored
        self.expected_prev = GENESIS
        self.checked = 0
        self.signed_seen = False

    def step(self, event: AuditEvent) -> str:
        if event.prev_hash != self.expected_prev:
            return "前后记录不连续（有记录被删除或插入）"
        if self.signed_seen and not event.key_id:
            return "签名记录之后出现未签名的记录（记录被伪造）"
        digest = compute_hash(event)
        if digest is None:
            return "记录的签名密钥不是本系统的审计密钥"
        if not hmac.compare_digest(digest, event.hash):
            return "记录内容与哈希不符（记录被篡改）"
        self.checked += 1
        if self.anchored.get(self.checked, event.hash) != event.hash:
            return "记录与链外锚点不符（审计链被改写）"
        self.signed_seen = self.signed_seen or bool(event.key_id)
        self.expected_prev = event.hash
        return ""


def _report_end(walks: dict[str, _Walk], anchors: anchor.Anchors, only: str | None) -> ChainReport:
    checked = _checked(walks)
    heads = (
        AuditChainHead.objects.all() if only is None else AuditChainHead.objects.filter(name=only)
    )
    names = {head.name for head in heads} | set(walks)
    names |= set(anchors.chains) if only is None else {only} & set(anchors.chains)
    anchored = 0
    for name in sorted(names):
        walk = walks.get(name) or _Walk(anchors.of(name))
        head = next((h for h in heads if h.name == name), None)
        problem = _chain_end_problem(walk, head, anchors.of(name))
        if problem:
            return ChainReport(False, checked, None, problem, chains=len(walks))
        anchored += len(anchors.of(name))
    return ChainReport(True, checked, anchored=anchored, chains=len(walks))


def _chain_end_problem(walk: _Walk, head: AuditChainHead | None, anchored: dict[int, str]) -> str:
    if head is not None and (head.last_hash != walk.expected_prev or head.length != walk.checked):
        return "最新的记录缺失（链尾被删除）"
    # The head row is in the database too: only the anchor outside it tells how long the
    # chain was when the head was moved back (or deleted) along with the newest rows.
    if anchored and max(anchored) > walk.checked:
        return "链外锚点记录的记录更多：最新的记录被删除"
    if walk.signed_seen and not anchored:
        return "链外锚点文件缺失或为空"
    return ""


# --- reads that leave the system ----------------------------------------------------------


def record_read(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    file_format: str,
    detail: str = "",
) -> AuditEvent:
    """Record an export or download (``export.*`` / ``download.*``): who took which object
    out of the system, in which format. Call it once the file is built, before returning it;
    it commits on its own since a read has no transaction of its own."""
    if not action.startswith(("export.", "download.")):
        raise ValueError("reads are recorded as export.* or download.*")
    with transaction.atomic():
        return record(
            action, actor=actor, target=target, after={"format": file_format}, detail=detail
        )


# --- failed logins ----------------------------------------------------------------------------


class FailureThrottle:
    """At most one audit event per source per window for logins with unknown names, so that
    guessing names cannot grow the audit table without limit; the failures in between are
    counted and carried by the next event. Kept per process: the bound is one event per
    source, window and process."""

    MAX_SOURCES = 10_000

    def __init__(self, window_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.window = window_seconds
        self.clock = clock
        self._lock = threading.Lock()
        self._sources: dict[str, tuple[float, int]] = {}

    def admit(self, source: str) -> int | None:
        """The number of failures suppressed before this one if it is to be recorded; None
        if it falls in the source's current window (and is only counted)."""
        now = self.clock()
        with self._lock:
            started, suppressed = self._sources.get(source, (now - self.window, 0))
            if now - started < self.window:
                self._sources[source] = (started, suppressed + 1)
                return None
            if len(self._sources) >= self.MAX_SOURCES:
                self._forget_before(now - self.window)
            self._sources[source] = (now, 0)
            return suppressed

    def _forget_before(self, moment: float) -> None:
        # Expired windows only: their suppressed counts are lost, but the events before them
        # were recorded. If every source is fresh, the table is cleared to stay bounded.
        fresh = {s: v for s, v in self._sources.items() if v[0] >= moment}
        self._sources = fresh if len(fresh) < self.MAX_SOURCES else {}

    def reset(self) -> None:
        with self._lock:
            self._sources.clear()


unknown_name_failures = FailureThrottle(window_seconds=60)


def record_login_failure(username: str, address: str | None, known: bool) -> AuditEvent | None:
    """Record a failed login with its source address. Every failure for an existing account
    is recorded (等保); failures for unknown names at most once a minute per address (or per
    name when the address is unknown), with the count of those not recorded in between."""
    after: dict[str, Any] = {"address": address or "", "known_account": known}
    if not known:
        suppressed = unknown_name_failures.admit(address or f"name:{username}")
        if suppressed is None:
            return None
        after["suppressed_since_last"] = suppressed
    with transaction.atomic():
        return record(
            "auth.login_failed",
            actor=None,
            actor_label=username,
            success=False,
            after=after,
            # As on the login and logout events (``signals.source``).
            detail=f"address={address}" if address else "",
        )

"""Archive audit events older than the retention period to signed JSONL.gz files.

A segment file under ``settings.ZHENGGAI_AUDIT_ARCHIVE_DIR`` is named after the first and last
event id it holds. Its first line describes the segment — chain position and the hash it
continues from (``prev_hash``), so the next segment or the database continues the chain from
it — then one line per event with every stored field, and last a signature line: HMAC-SHA256
under the audit key of the SHA-256 of all the lines before it. Since there is one chain per
region (``audit``), the header of a version-2 segment also gives, for each chain it holds, the
position and hash that chain continues from (``chains``); a version-1 file holds one chain.

Archiving never deletes: the events stay in the database, which therefore keeps at least the
retention period (网络安全法 art. 21: six months). Removing archived rows from the database is
left to a later change (the chain would then verify from the last archived segment).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhenggai.ledger import audit
from zhenggai.ledger.models import AuditEvent

NAME = re.compile(r"^audit-(\d{12})-(\d{12})\.jsonl\.gz$")
STORED_FIELDS = ("id", *audit.HASHED_FIELDS, "at", "prev_hash", "hash", "key_id", "chain")


@dataclass(frozen=True)
class Segment:
    path: Path
    first_id: int
    last_id: int
    count: int


def archive_dir() -> Path:
    return Path(settings.ZHENGGAI_AUDIT_ARCHIVE_DIR)


def last_archived_id() -> int:
    ids = [int(m.group(2)) for p in _segment_files() if (m := NAME.match(p.name))]
    return max(ids, default=0)


def _segment_files() -> list[Path]:
    folder = archive_dir()
    return sorted(folder.glob("audit-*.jsonl.gz")) if folder.is_dir() else []


def archive_older_than(days: int | None = None, now: dt.datetime | None = None) -> Segment | None:
    """Write the events older than ``days`` (default: the retention setting) that no segment
    holds yet to a new segment; None when there are none."""
    days = days if days is not None else settings.ZHENGGAI_AUDIT_RETENTION_DAYS
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    events = list(
        AuditEvent.objects.filter(id__gt=last_archived_id(), at__lt=cutoff).order_by("id")
    )
    if not events:
        return None
    lines = [_header(events)] + [_event_line(e) for e in events]
    path = archive_dir() / f"audit-{events[0].pk:012d}-{events[-1].pk:012d}.jsonl.gz"
    _write(path, lines)
    return Segment(path, events[0].pk, events[-1].pk, len(events))


def _header(events: list[AuditEvent]) -> bytes:
    chains: dict[str, dict[str, Any]] = {}
    for event in events:
        chain = chains.get(event.chain)
        if chain is None:
            before = AuditEvent.objects.filter(chain=event.chain, id__lt=event.pk).count()
            chain = chains[event.chain] = {
                "first_position": before + 1,
                "prev_hash": event.prev_hash,
                "count": 0,
            }
        chain["count"] += 1
        chain["last_hash"] = event.hash
    first = chains[events[0].chain]
    return _json(
        {
            "segment": "zhenggai-audit",
            "version": 2,
            "first_id": events[0].pk,
            "last_id": events[-1].pk,
            # The first event's chain, as in version 1; ``chains`` has every chain's.
            "first_position": first["first_position"],
            "count": len(events),
            "prev_hash": first["prev_hash"],
            "last_hash": events[-1].hash,
            "chains": chains,
            "written_at": timezone.now().isoformat(),
        }
    )


def _event_line(event: AuditEvent) -> bytes:
    data: dict[str, Any] = {name: getattr(event, name) for name in STORED_FIELDS}
    data["at"] = event.at.astimezone(dt.UTC).isoformat()
    return _json(data)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _signature(lines: list[bytes]) -> str:
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest().encode()
    return hmac.new(audit.current_key(), digest, hashlib.sha256).hexdigest()


def _write(path: Path, lines: list[bytes]) -> None:
    """All or nothing: written to a part file, made readable by the owner only, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    signature = _json({"signature": _signature(lines), "key_id": audit.key_id(audit.current_key())})
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
        out.write(b"\n".join([*lines, signature]) + b"\n")
    os.replace(part, path)


def verify_segment(path: Path) -> str:
    """The problem with a segment file, or "" when its signature and every link hold."""
    try:
        lines = gzip.decompress(path.read_bytes()).rstrip(b"\n").split(b"\n")
        *body, last = lines
        signature = json.loads(last)["signature"]
        header = json.loads(body[0])
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError):
        return "归档文件无法读取或格式不对"
    if not hmac.compare_digest(_signature(body), str(signature)):
        return "归档文件的签名不符（文件被改动）"
    return _verify_links(header, [json.loads(line) for line in body[1:]])


def _verify_links(header: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    chains = header.get("chains") or {
        audit.GLOBAL_CHAIN: {"prev_hash": header["prev_hash"], "last_hash": header["last_hash"]}
    }
    prev = {name: chain["prev_hash"] for name, chain in chains.items()}
    for row in rows:
        event = AuditEvent(**{**row, "at": dt.datetime.fromisoformat(row["at"])})
        if event.prev_hash != prev.get(event.chain) or audit.compute_hash(event) != event.hash:
            return f"归档文件中的记录 {row['id']} 与哈希链不符"
        prev[event.chain] = event.hash
    last = {name: chain["last_hash"] for name, chain in chains.items()}
    newest = rows[-1]["hash"] if rows else None
    if len(rows) != header["count"] or prev != last or newest != header["last_hash"]:
        return "归档文件的记录数或链尾与文件头不符"
    return ""

"""The audit chain's anchor outside the database: one signed line per committed event.

A line is ``<position> <hash> <key id> <mac>``: the chain held ``position`` events and the
newest had ``hash``; a chain other than the global one is named before its position
(``region-12:345``); ``mac`` is HMAC-SHA256 of the rest of the line under the audit key. The
file is only appended to (``O_APPEND``, one ``write`` per line, so lines from concurrent
processes never interleave). Lines may arrive out of order — each commits on its own — which
does not matter: each one is checked against the chain at its position.

Whoever can change the database cannot change this file if it lives elsewhere (another disk,
or shipped line by line to a log server), so deleting the newest rows, or rewriting the chain
even with the key, is detected by ``verify_audit_chain``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

# The chain of events of no region, and of every line written before chains were split.
GLOBAL_CHAIN = "global"


def path() -> Path:
    return Path(settings.ZHENGGAI_AUDIT_ANCHOR_FILE)


# --- the audit keys: the current one signs; retired ones still verify what they signed ------


def current_key() -> bytes:
    return str(settings.ZHENGGAI_AUDIT_KEY).encode()


def retired_keys() -> list[bytes]:
    """Keys replaced by a rotation (docs/operations.md), one per line of the retired-keys
    file; rows and anchor lines they signed still verify, nothing new is signed with them."""
    try:
        text = Path(settings.ZHENGGAI_AUDIT_RETIRED_KEYS_FILE).read_text(encoding="ascii")
    except FileNotFoundError:
        return []
    return [line.strip().encode() for line in text.splitlines() if line.strip()]


@lru_cache(maxsize=16)
def key_id(key: bytes) -> str:
    """A name for the key that reveals nothing about it: stored on each row it signs."""
    return hmac.new(key, b"zhenggai audit key id", hashlib.sha256).hexdigest()[:16]


def key_named(wanted: str) -> bytes | None:
    """The current or a retired key whose id is ``wanted``, or None."""
    for key in (current_key(), *retired_keys()):
        if hmac.compare_digest(key_id(key), wanted):
            return key
    return None


def _mac(body: str, key: bytes) -> str:
    return hmac.new(key, f"anchor {body}".encode(), hashlib.sha256).hexdigest()


def line(position: int, last_hash: str, key_id: str, chain: str = GLOBAL_CHAIN) -> str:
    where = str(position) if chain == GLOBAL_CHAIN else f"{chain}:{position}"
    body = f"{where} {last_hash} {key_id or '-'}"
    return f"{body} {_mac(body, current_key())}\n"


def append(position: int, last_hash: str, key_id: str, chain: str = GLOBAL_CHAIN) -> None:
    """Append a checkpoint. Runs after the commit: a failure is logged, never raised, since
    the event it anchors is already stored (verify then reports the chain as unanchored)."""
    try:
        fd = os.open(path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line(position, last_hash, key_id, chain).encode("ascii"))
        finally:
            os.close(fd)
    except OSError:
        log.exception("could not append audit anchor for position %s", position)


@dataclass
class Anchors:
    chains: dict[str, dict[int, str]] = field(default_factory=dict)
    problem: str = ""

    def of(self, chain: str) -> dict[int, str]:
        """The checkpoints of one chain: position → hash."""
        return self.chains.get(chain, {})

    @property
    def hashes(self) -> dict[int, str]:
        return self.of(GLOBAL_CHAIN)


def read(source: Path | None = None) -> Anchors:
    """Every checkpoint of the anchor file, or the problem with the first bad line."""
    anchors = Anchors()
    try:
        text = (source or path()).read_text(encoding="ascii")
    except FileNotFoundError:
        return anchors
    except (OSError, UnicodeDecodeError):
        return Anchors(problem="链外锚点文件无法读取")
    for number, raw in enumerate(text.splitlines(), start=1):
        checkpoint = _parse(raw)
        if checkpoint is None:
            return Anchors(problem=f"链外锚点文件第 {number} 行被篡改")
        chain, position, last_hash = checkpoint
        if anchors.chains.setdefault(chain, {}).setdefault(position, last_hash) != last_hash:
            # Two hashes for one position: the chain was cut back and written on again.
            return Anchors(problem=f"链外锚点文件第 {number} 行与前文矛盾（审计链被截断后续写）")
    return anchors


def _parse(raw: str) -> tuple[str, int, str] | None:
    parts = raw.split(" ")
    if len(parts) != 4:
        return None
    chain, _, position = parts[0].rpartition(":")
    if not position.isdigit():
        return None
    body, mac = " ".join(parts[:3]), parts[3]
    # A line is signed with the key current when it was written: the key of its event, or
    # (an unsigned event, "-") whichever key was current then.
    named = key_named(parts[2]) if parts[2] != "-" else None
    keys = [named] if named is not None else [current_key(), *retired_keys()]
    if not any(hmac.compare_digest(_mac(body, key), mac) for key in keys):
        return None
    return chain or GLOBAL_CHAIN, int(position), parts[1]

"""An uploaded notice, as the import screens take it: a notice file (.txt/.docx/.pdf), or a
feedback list in the JSON that ``zhenggai parse --format json`` writes (``zhenggai.notice/1``).

The preview keeps the parsed notice in the session as that same JSON, so the confirmation
imports exactly what the user saw, without parsing the file again.
"""

from __future__ import annotations

import json
from typing import Any

from zhenggai.notice import (
    Aspect,
    Contacts,
    Inspection,
    Measure,
    Notice,
    Problem,
    ReadError,
    Stated,
    parse,
    read,
)
from zhenggai.notice.model import SCHEMA

JSON_SUFFIX = ".json"


class NoticeFileError(ValueError):
    """The upload is not a notice we can read; ``str()`` is the Chinese message."""


def notice_from_upload(data: bytes, filename: str) -> Notice:
    """Read and parse an uploaded notice, or load a parsed one (JSON)."""
    if filename.lower().endswith(JSON_SUFFIX):
        return _notice_from_json_bytes(data, filename)
    try:
        return parse(read(data, filename=filename))
    except ReadError as exc:
        raise NoticeFileError(str(exc)) from exc


def _notice_from_json_bytes(data: bytes, filename: str) -> Notice:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NoticeFileError(
            f"“{filename}”：不是有效的 JSON 文件，请上传解析结果原文件。"
        ) from exc
    if not isinstance(loaded, dict) or loaded.get("schema") != SCHEMA:
        message = f"“{filename}”：不是整改通报的解析结果（应为 {SCHEMA} 格式）。"
        raise NoticeFileError(message)
    try:
        return notice_from_dict(loaded)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NoticeFileError(f"“{filename}”：解析结果内容不完整，无法导入。") from exc


def notice_from_dict(data: dict[str, Any]) -> Notice:
    """The inverse of ``Notice.to_dict`` for what an import uses (the tree, header, totals and
    contacts; dates and entities inside measures are not needed to create the ledger)."""
    header = data.get("inspection") or {}
    stated = data.get("stated") or {}
    contacts = data.get("contacts") or {}
    return Notice(
        title=data.get("title"),
        issuer=data.get("issuer"),
        inspection=Inspection(
            group=header.get("group"),
            start=header.get("start"),
            end=header.get("end"),
            feedback=header.get("feedback"),
        ),
        stated=Stated(**{key: stated.get(key) for key in Stated.__dataclass_fields__}),
        aspects=[_aspect(a) for a in data.get("aspects") or []],
        contacts=Contacts(
            **{key: list(contacts.get(key) or []) for key in Contacts.__dataclass_fields__}
        ),
        basis=list(data.get("basis") or []),
    )


def _aspect(data: dict[str, Any]) -> Aspect:
    problems = [_problem(p) for p in data.get("problems") or []]
    return Aspect(no=int(data["no"]), title=str(data.get("title") or ""), problems=problems)


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(
        no=int(data["no"]),
        title=str(data.get("title") or ""),
        implicit=bool(data.get("implicit")),
        measures=[_measure(m) for m in data.get("measures") or []],
        description=str(data.get("description") or ""),
        status=data.get("status"),
    )


def _measure(data: dict[str, Any]) -> Measure:
    return Measure(no=int(data["no"]), text=str(data["text"]), status=data.get("status"))

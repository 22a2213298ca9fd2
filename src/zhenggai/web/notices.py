"""An uploaded notice, as the import screens take it: a notice file (.txt/.docx/.pdf), or a
feedback list in the JSON that ``zhenggai parse --format json`` writes (``zhenggai.notice/1``).

The preview keeps the parsed notice in the session as that same JSON, so the confirmation
imports exactly what the user saw, without parsing the file again.
"""

from __future__ import annotations

import json

from zhenggai.ledger.uploads import zip_limits
from zhenggai.notice import Notice, ReadError, parse, read
from zhenggai.notice.model import SCHEMA
from zhenggai.notice.zipguard import too_large

JSON_SUFFIX = ".json"


class NoticeFileError(ValueError):
    """The upload is not a notice we can read; ``str()`` is the Chinese message."""


def notice_from_upload(data: bytes, filename: str) -> Notice:
    """Read and parse an uploaded notice, or load a parsed one (JSON), within the upload
    limits of the settings (a .docx bomb is refused before python-docx opens it)."""
    limits = zip_limits()
    if len(data) > limits.max_file_bytes:
        raise NoticeFileError(f"“{filename}”：{too_large(len(data), limits)}。")
    if filename.lower().endswith(JSON_SUFFIX):
        return _notice_from_json_bytes(data, filename)
    try:
        return parse(read(data, filename=filename, limits=limits))
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
        return Notice.from_dict(loaded)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise NoticeFileError(f"“{filename}”：解析结果内容不完整，无法导入。") from exc

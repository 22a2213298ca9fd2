"""Limits on zip packages (.docx, .xlsx) checked before any parser opens them (pure Python).

A 7 MB .docx can hold a document.xml that inflates to 1.6 GB; python-docx and openpyxl
would build all of it in memory. ``check_zip`` refuses such a package in three steps, each
cheap in memory:

1. the end-of-central-directory record: how many members and how large the directory is,
   read from the last bytes, before ``zipfile`` builds one object per member;
2. the central directory: the sizes the members declare, summed;
3. the members themselves, inflated in chunks and counted, because the declared sizes can
   lie: reading stops as soon as the real bytes pass the limit.

Refusals raise :class:`ZipLimitError`, whose message is one line of Chinese for the user and
whose ``detail`` is English for the log. A package that is merely damaged is not this
module's business: ``zipfile`` errors pass through to the caller, which reports them.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
from dataclasses import dataclass
from typing import IO

MB = 1024 * 1024
CHUNK = 1 * MB  # inflated per read while counting

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"
_MAX_COMMENT = 0xFFFF
# A central directory entry is 46 bytes plus its name and extras: more than this per member
# on average means the directory is padded to be expensive to read.
_DIRECTORY_BYTES_PER_MEMBER = 1024


@dataclass(frozen=True)
class ZipLimits:
    """How large a package may be. The defaults protect ``zhenggai parse``; the web reads
    its own from the settings (``ZHENGGAI_UPLOAD_MAX_MB`` and the others)."""

    max_file_bytes: int = 50 * MB  # the file as uploaded
    max_unzipped_bytes: int = 20 * MB  # all members inflated, together
    max_members: int = 1000


DEFAULT_LIMITS = ZipLimits()


class ZipLimitError(Exception):
    """The package exceeds a limit: ``str()`` is the Chinese message, ``detail`` the log's."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(message)
        self.detail = detail


def megabytes(size: int) -> str:
    """A size for messages, rounded up to a tenth: ``50 MB``, ``0.6 MB``, ``1.1 MB`` (a file
    just over a 1 MB limit must not read "1 MB")."""
    return f"{math.ceil(size * 10 / MB) / 10:g} MB"


def too_large(size: int, limits: ZipLimits) -> ZipLimitError:
    return ZipLimitError(
        f"文件过大（{megabytes(size)}），上限为 {megabytes(limits.max_file_bytes)}",
        f"file of {size} bytes over the limit of {limits.max_file_bytes}",
    )


def check_zip(source: bytes | IO[bytes], limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Raise ``ZipLimitError`` if the package is too large, has too many members, or inflates
    beyond ``limits.max_unzipped_bytes``; ``zipfile.BadZipFile`` (and the other errors of
    ``zipfile``) if it is damaged. A file object is rewound afterwards."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    start = stream.tell()
    try:
        size = stream.seek(0, io.SEEK_END)
        if size > limits.max_file_bytes:
            raise too_large(size, limits)
        check_directory(stream, limits)
        stream.seek(start)
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            _check_declared(members, limits)
            _check_inflated(archive, members, limits)
    finally:
        stream.seek(start)


def check_directory(stream: IO[bytes], limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Step 1: the member count and directory size from the end record (zip64 too), before
    ``zipfile`` reads the directory. Raises ``ZipLimitError``, or ``BadZipFile`` if there is
    no end record."""
    size = stream.seek(0, io.SEEK_END)
    tail_size = min(size, _EOCD_SIZE + _MAX_COMMENT + _ZIP64_LOCATOR_SIZE)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    members, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail[at - _ZIP64_LOCATOR_SIZE : at] if at >= _ZIP64_LOCATOR_SIZE else b""
    if locator.startswith(_ZIP64_LOCATOR):
        (offset,) = struct.unpack("<Q", locator[8:16])
        stream.seek(offset)
        record = stream.read(56)
        if record.startswith(_ZIP64_EOCD) and len(record) == 56:
            members, directory = struct.unpack("<QQ", record[32:48])
    if members > limits.max_members:
        raise _too_many(members, limits)
    if directory > max(members, 1) * _DIRECTORY_BYTES_PER_MEMBER:
        raise ZipLimitError(
            "压缩包结构异常（目录过大），已拒收，请用 Office 或 WPS 重新保存后再上传",
            f"central directory of {directory} bytes for {members} members",
        )


def _check_declared(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Step 2: what the directory says the members inflate to (counted again: a directory
    may hold more entries than its end record admits)."""
    if len(members) > limits.max_members:
        raise _too_many(len(members), limits)
    declared = sum(member.file_size for member in members)
    if declared > limits.max_unzipped_bytes:
        raise _inflates(declared, limits, "declared")


def _check_inflated(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ZipLimits
) -> None:
    """Step 3: inflate every member in chunks and count the bytes that really come out."""
    total = 0
    for member in members:
        with archive.open(member) as part:
            while chunk := part.read(CHUNK):
                total += len(chunk)
                if total > limits.max_unzipped_bytes:
                    raise _inflates(total, limits, "inflated (at least)")


def _too_many(members: int, limits: ZipLimits) -> ZipLimitError:
    return ZipLimitError(
        f"压缩包内文件过多（{members} 个），上限为 {limits.max_members} 个，已拒收",
        f"{members} members over the limit of {limits.max_members}",
    )


def _inflates(size: int, limits: ZipLimits, how: str) -> ZipLimitError:
    return ZipLimitError(
        f"文件解压后过大（超过 {megabytes(limits.max_unzipped_bytes)}），可能是压缩炸弹，已拒收",
        f"members {how} {size} bytes over the limit of {limits.max_unzipped_bytes}",
    )

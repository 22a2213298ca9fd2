"""Upload limits as the settings set them, and the type of an evidence file from its content.

The limits (``docs/security.md``, "上传限制 / Upload limits"): every uploaded file at most
``ZHENGGAI_UPLOAD_MAX_MB``; a .docx or .xlsx at most ``ZHENGGAI_UNZIPPED_MAX_MB`` inflated
and ``ZHENGGAI_ZIP_MAX_MEMBERS`` members (``zhenggai.notice.zipguard``); a ledger sheet at
most ``ZHENGGAI_XLSX_MAX_ROWS`` rows; the evidence of one measure at most
``ZHENGGAI_EVIDENCE_MAX_MB_PER_MEASURE`` together.

Evidence is recognised by its first bytes and, for Office packages and OFD, by the parts in
its zip directory, never by its name: a program renamed ``.pdf`` is refused. The name's
extension must then agree with the content, so that the file opens in the right program.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings

from zhenggai.notice.zipguard import MB, ZipLimitError, ZipLimits, check_directory

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, .et
SNIFF_BYTES = 64 * 1024  # enough for every magic number, and to tell text from binary


def zip_limits() -> ZipLimits:
    return ZipLimits(
        max_file_bytes=settings.ZHENGGAI_UPLOAD_MAX_MB * MB,
        max_unzipped_bytes=settings.ZHENGGAI_UNZIPPED_MAX_MB * MB,
        max_members=settings.ZHENGGAI_ZIP_MAX_MEMBERS,
    )


def max_rows() -> int:
    return int(settings.ZHENGGAI_XLSX_MAX_ROWS)


def max_file_bytes() -> int:
    return int(settings.ZHENGGAI_UPLOAD_MAX_MB) * MB


def max_evidence_bytes_per_measure() -> int:
    return int(settings.ZHENGGAI_EVIDENCE_MAX_MB_PER_MEASURE) * MB


@dataclass(frozen=True)
class EvidenceType:
    label: str  # for messages
    suffixes: tuple[str, ...]  # the extensions a file of this type may carry
    content_type: str  # what the download declares (never the browser's guess)


PDF = EvidenceType("PDF", (".pdf",), "application/pdf")
DOCX = EvidenceType(
    "Word",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = EvidenceType(
    "Excel", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
OFD = EvidenceType("OFD", (".ofd",), "application/ofd")
OLE = EvidenceType(
    "旧版 Office / WPS",
    (".doc", ".xls", ".wps", ".et", ".dps", ".ppt"),
    "application/x-ole-storage",
)
JPEG = EvidenceType("JPEG 图片", (".jpg", ".jpeg"), "image/jpeg")
PNG = EvidenceType("PNG 图片", (".png",), "image/png")
TEXT = EvidenceType("文本", (".txt",), "text/plain")

ALLOWED_SUFFIXES = tuple(
    suffix for kind in (PDF, DOCX, XLSX, OFD, OLE, JPEG, PNG, TEXT) for suffix in kind.suffixes
)
# The parts that tell a zip package's kind (the first that is present wins).
_PACKAGES = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("OFD.xml", OFD))


def evidence_type(file: IO[bytes]) -> EvidenceType | None:
    """The type of the file from its content, or None if it is not one we accept. The file
    is rewound."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    try:
        if b"%PDF-" in head[:1024]:
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _package_type(file)
        if head.startswith(_OLE):
            return OLE
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        return TEXT if _is_text(head) else None
    finally:
        file.seek(0)


def _package_type(file: IO[bytes]) -> EvidenceType | None:
    """A zip is accepted only as a Word, Excel or OFD package: an archive would hide what it
    holds from the office checking the evidence. Only the directory is read, never a member.
    """
    try:
        check_directory(file, zip_limits())  # a directory of a million entries is refused
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (ZipLimitError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return None
    return next((kind for part, kind in _PACKAGES if part in names), None)


def _is_text(head: bytes) -> bool:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030; no NUL bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            # Not final: the sniffed bytes may end inside a character.
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


def suffix_of(name: str) -> str:
    return PurePath(name).suffix.lower()

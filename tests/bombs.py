"""Hostile uploads built in the test, never committed: zip bombs, many-member zips, lies.

A bomb is a real package (a .docx or .xlsx a parser would open) whose main part is replaced
by a huge, highly compressible one, written in chunks so that building it costs no memory.
"""

from __future__ import annotations

import io
import struct
import zipfile

import docx
from openpyxl import Workbook

MB = 1024 * 1024
_CHUNK = b" " * MB


def small_docx(text: str = "龙亭区科协巡察整改情况通报") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def small_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["序号"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def inflate(package: bytes, part: str, megabytes: int) -> bytes:
    """``package`` with ``part`` replaced by itself followed by ``megabytes`` MB of spaces
    (well-formed XML still: whitespace after the root element)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename != part:
                target.writestr(member, data)
                continue
            with target.open(part, "w", force_zip64=True) as stream:
                stream.write(data)
                for _ in range(megabytes):
                    stream.write(_CHUNK)
    return out.getvalue()


def docx_bomb(megabytes: int) -> bytes:
    return inflate(small_docx(), "word/document.xml", megabytes)


def xlsx_bomb(megabytes: int) -> bytes:
    return inflate(small_xlsx(), "xl/worksheets/sheet1.xml", megabytes)


def many_members(package: bytes, members: int) -> bytes:
    """``package`` with ``members`` extra empty parts."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member))
        for index in range(members):
            target.writestr(f"extra/part{index}.xml", b"")
    return out.getvalue()


def lying_sizes(package: bytes, part: str, declared: int) -> bytes:
    """``package`` whose central directory claims ``part`` inflates to ``declared`` bytes."""
    data = bytearray(package)
    name = part.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + name_length] == name:
            data[at + 24 : at + 28] = struct.pack("<I", declared)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


# A Windows program (the "MZ" header and the DOS stub's text), renamed .pdf by the sender.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$")
)

"""The notice's title block, opening and closing. (Being written: see helper task.)"""

from __future__ import annotations

from dataclasses import dataclass

from zhenggai.notice.dates import DateResolver
from zhenggai.notice.model import Contacts, Inspection, Stated


@dataclass
class TitleBlock:
    issuer: str | None
    title: str | None
    # Index of the first line after the title block (where the opening or body starts).
    body_start: int


def find_title(lines: list[str]) -> TitleBlock:
    raise NotImplementedError


def find_inspection(text: str, resolver: DateResolver | None = None) -> Inspection:
    raise NotImplementedError


def find_basis(text: str) -> list[str]:
    raise NotImplementedError


def find_stated(text: str) -> Stated:
    raise NotImplementedError


def find_contacts(text: str) -> Contacts:
    raise NotImplementedError

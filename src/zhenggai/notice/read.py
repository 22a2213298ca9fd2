"""Bytes or a file → text. (Being written: see helper task.)"""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """The file cannot be read as a notice; the message (Chinese) says what to do."""


def read(source: str | Path | bytes, *, filename: str | None = None) -> str:
    raise NotImplementedError

"""Text in the project's .xlsx files stays text (no formula injection, CWE-1236).

A 文号 or 题名 typed as ``=HYPERLINK(…)`` must reach the reader as those characters, not as a
live formula. xlsxwriter's ``write()`` turns a string beginning with ``=`` into a formula by
default; every workbook of the project is opened here with that turned off, so ``write()`` and
``write_row()`` store strings as strings (``t="s"`` or ``t="inlineStr"`` in the sheet XML, never
an ``<f>`` element). The ledger workbook (``zhenggai.ledger.excel``) has its own writer.

Pure Python (``zhenggai.notice`` uses it too): no Django here.
"""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter

# What spreadsheet programs read as the start of a formula or a command (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Strings are written as strings: not formulas, not links ("http…"), not numbers ("-1").
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def workbook(target: str | IO[bytes], **options: Any) -> Any:
    """An ``xlsxwriter.Workbook`` whose ``write()`` never makes a formula out of text."""
    return xlsxwriter.Workbook(target, {**options, **TEXT_ONLY})

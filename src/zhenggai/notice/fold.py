"""Traditional characters folded to simplified for matching, and the parse put back in the original.

The parser's patterns are written in simplified characters. A notice in traditional characters
(港澳台 reposts, a site's 繁体 button) is converted with OpenCC ``t2s`` one line at a time, kept
the same length so that every position of the folded text is the same position of the original;
what the parser finds is then read back from the original at the same place. The text shown to
the user is never the converted one.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import Any

# Characters that only traditional text has, among the most frequent in notices: one of them
# decides that the text needs folding (simplified text, the common case, is never converted).
_TRADITIONAL_HINT = frozenset(
    "們這個國會對發說時從來為與導黨組織關於議開設監當應總體問題過還進處實現經區縣員視紀條規屆輪"
    "單據報饋頓劃權貫徹領學習"
)


# A regex character class scans a long text many times faster than a set test per character.
_TRADITIONAL_SCAN = re.compile(f"[{''.join(sorted(_TRADITIONAL_HINT))}]")


def needs_folding(text: str) -> bool:
    return _TRADITIONAL_SCAN.search(text) is not None


@cache
def _converter() -> Any:
    import opencc  # only traditional texts pay for loading the dictionaries

    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """``text`` in simplified characters, of the same length line by line."""
    convert = _converter().convert
    out = []
    for line in text.split("\n"):
        folded = convert(line)
        if len(folded) != len(line):  # a phrase conversion changed the length: go char by char
            folded = "".join(c if len(c := convert(ch)) == 1 else ch for ch in line)
        out.append(folded)
    return "\n".join(out)


class Restorer:
    """Maps strings of the folded text back to the original's characters."""

    def __init__(self, original: str, folded: str) -> None:
        self._original = original
        self._folded = folded
        # Where a string is not a slice of the folded text (joined lines, trimmed titles), each
        # character is mapped on its own, by the first original character it came from.
        self._chars: dict[str, str] = {}
        for source, simple in zip(original, folded, strict=True):
            if source != simple:
                self._chars.setdefault(simple, source)

    def text(self, value: str) -> str:
        if not value or value.isascii():
            return value
        pos = self._folded.find(value)
        if pos >= 0:
            return self._original[pos : pos + len(value)]
        return "".join(self._chars.get(ch, ch) for ch in value)

    def restore(self, value: Any) -> Any:
        """``value`` (str, list, dict or dataclass) with every string restored, in place."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            value[:] = [self.restore(item) for item in value]
            return value
        if isinstance(value, dict):
            for key in value:
                value[key] = self.restore(value[key])
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                setattr(value, f.name, self.restore(getattr(value, f.name)))
        return value

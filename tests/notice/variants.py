"""The seed notice rewritten the ways real notices differ: numbering, punctuation, layout.

Each function takes the seed text and returns a variant a user could publish; the parse of
every variant must give back the seed's tree and dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from zhenggai.notice.numerals import CIRCLED, int_to_cn

# A measure line as the seed prints it: "1.党组…".
MEASURE_LINE = re.compile(r"^(\d{1,2})\.(?=\D|\d{4}年)", re.MULTILINE)
# The same marker also where run_together has put it: after "整改情况：" or a full stop.
MEASURE_MARKER = re.compile(r"(?:^|(?<=[：:。]))(\d{1,2})\.(?=\D|\d{4}年)", re.MULTILINE)

HALF_WIDTH = str.maketrans(
    {"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "“": '"', "”": '"'}
)


def renumber(seed: str, style: Callable[[int], str]) -> str:
    return MEASURE_MARKER.sub(lambda m: style(int(m.group(1))), seed)


MEASURE_STYLES: dict[str, Callable[[int], str]] = {
    "1、": lambda n: f"{n}、",
    "（1）": lambda n: f"（{n}）",
    "(1)": lambda n: f"({n})",
    "①": lambda n: CIRCLED[n - 1],
    "一是": lambda n: f"{int_to_cn(n)}是",
    "1．": lambda n: f"{n}．",
}


def half_width(seed: str) -> str:
    """Commas, colons, semicolons, brackets and quotes half-width, as many sites print them."""
    return seed.translate(HALF_WIDTH)


def run_together(seed: str) -> str:
    """Each problem's measures in one paragraph after "整改情况：", as many notices print them."""
    lines = seed.split("\n")
    out: list[str] = []
    for line in lines:
        if MEASURE_LINE.match(line) and out and _joinable(out[-1]):
            out[-1] += line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _joinable(previous: str) -> bool:
    return previous.startswith("整改情况") or bool(MEASURE_LINE.match(previous))


def crlf_with_blank_lines(seed: str) -> str:
    """Windows line ends and a blank line between paragraphs, indented like a Word export."""
    return "\r\n\r\n".join("    " + line if line else line for line in seed.split("\n"))

"""Chinese numerals as they appear in notices: 一 … 九十九, 二〇二四 / 二0二四, ①, ⑴."""

from __future__ import annotations

DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "0": 0,
    "０": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"

# Characters a Chinese ordinal (一 … 九十九) is made of, for use inside regexes.
CN_ORDINAL_CHARS = "一二三四五六七八九十"


def cn_to_int(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; digit strings pass through.

    Returns None for anything that is not a plain number below 100.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text.translate(_FULLWIDTH_DIGITS))
    if "十" not in text:
        return DIGITS.get(text) if len(text) == 1 and text != "两" else None
    tens_part, _, ones_part = text.partition("十")
    tens = 1 if tens_part == "" else DIGITS.get(tens_part)
    ones = 0 if ones_part == "" else DIGITS.get(ones_part)
    if tens is None or ones is None or len(tens_part) > 1 or len(ones_part) > 1:
        return None
    return tens * 10 + ones


def cn_year(text: str) -> int | None:
    """二〇二四 / 二0二四 / 2024 / ２０２４ → 2024; None unless it is four digits."""
    if len(text) != 4:
        return None
    digits = []
    for ch in text:
        if ch in DIGITS:
            digits.append(DIGITS[ch])
        elif ch.isdigit():
            digits.append(int(ch.translate(_FULLWIDTH_DIGITS)))
        else:
            return None
    value = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
    return value if 1900 <= value <= 2199 else None


def symbol_to_int(ch: str) -> int | None:
    """① → 1, ⑴ → 1."""
    for table in (CIRCLED, PARENTHESIZED):
        pos = table.find(ch)
        if pos >= 0:
            return pos + 1
    return None


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def int_to_cn(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (for rendering outlines)."""
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else names[tens]
    return head + "十" + (names[ones] if ones else "")

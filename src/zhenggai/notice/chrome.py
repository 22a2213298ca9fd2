"""Website chrome (breadcrumbs, 索引号 blocks, 发布时间, 字体大小) → removed. (Being written.)"""

from __future__ import annotations


def clean_lines(text: str) -> list[str]:
    """The text's lines, stripped, blank lines and website chrome dropped."""
    raise NotImplementedError

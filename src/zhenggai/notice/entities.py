"""Facts inside a measure's text: 《》 titles, 文号, counts, percentages, money, status words."""

from __future__ import annotations

from zhenggai.notice.model import Entities


def find_entities(text: str) -> Entities:
    raise NotImplementedError

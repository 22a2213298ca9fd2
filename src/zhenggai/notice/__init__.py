"""Read published rectification notices into a structured tree (pure Python, no Django).

>>> from zhenggai.notice import read, parse
>>> notice = parse(read("通报.txt"))
>>> notice.to_json()
"""

from zhenggai.notice.model import (
    Aspect,
    Contacts,
    DateMention,
    Entities,
    Inspection,
    Measure,
    Notice,
    Problem,
    Stated,
)
from zhenggai.notice.parse import parse
from zhenggai.notice.read import ReadError, read

__all__ = [
    "Aspect",
    "Contacts",
    "DateMention",
    "Entities",
    "Inspection",
    "Measure",
    "Notice",
    "Problem",
    "ReadError",
    "Stated",
    "parse",
    "read",
]
